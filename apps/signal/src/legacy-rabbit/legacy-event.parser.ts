import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { LegacyEventDto } from './legacy-event.dto';
import { contentKey } from '../common/content-key';
import { errorMessage } from '../common/error-message';
import { validationViolations } from '../common/validation-violations';
import { validCorrelationId } from '../logging/correlation-context';

/**
 * A valid event, with `key`: what the adapter knows it by (dedup, schedule, idempotency keys):
 * its `eventId`, else `sha256:<hex>` of its canonical body (keys sorted, no whitespace), so the
 * same event published twice, however re-serialized, has one key.
 */
export type LegacyParseResult =
  { ok: true; event: LegacyEventDto; key: string } | { ok: false; reason: string };

type LegacyBody = { ok: true; json: Record<string, unknown> } | { ok: false; reason: string };

// 10,000 target users of 128 characters (the DTO's bounds) fit with room to spare.
const MAX_EVENT_BYTES = 2 * 1024 * 1024;
// class-transformer and class-validator recurse per level: a deep enough body overflows the
// stack, which would read as a failure to retry rather than a bad event.
const MAX_DEPTH = 32;

/**
 * Turns a message body into a valid seed 003 event, or says why not (every violation, "; "
 * joined, as the dead-letter reason). Never throws: bad input is the publisher's problem.
 */
export function parseLegacyEvent(content: Buffer): LegacyParseResult {
  const body = readLegacyBody(content);
  if (!body.ok) return body;
  const event = plainToInstance(LegacyEventDto, body.json);
  // e.g. `payload.notification.title: title must be shorter than or equal to 200 characters`.
  const violations = validationViolations(validateSync(event)).flatMap(({ path, messages }) =>
    messages.map((message) => `${path}: ${message}`),
  );
  if (violations.length > 0) return { ok: false, reason: violations.join('; ') };
  const { targetUsers, targetRoles } = event.payload.notification;
  if (!targetUsers?.length && !targetRoles?.length) {
    return {
      ok: false,
      reason: 'no target: payload.notification names neither targetUsers nor targetRoles',
    };
  }
  return { ok: true, event, key: event.eventId ?? contentKey(body.json) };
}

/**
 * The envelope's `correlationId` (seed 003 puts it beside `eventId`) when the body is a JSON
 * object and the id a usable one; read before the stage parses the event, so that every line
 * the stage logs, and every message it publishes, carries it.
 */
export function envelopeCorrelationId(content: Buffer): string | undefined {
  const body = readLegacyBody(content);
  return body.ok ? validCorrelationId(body.json.correlationId) : undefined;
}

function readLegacyBody(content: Buffer): LegacyBody {
  if (content.length > MAX_EVENT_BYTES) {
    return {
      ok: false,
      reason: `body is ${content.length} bytes, more than the ${MAX_EVENT_BYTES} a V1 event may have`,
    };
  }
  const text = content.toString('utf8');
  if (nestsDeeperThan(text, MAX_DEPTH)) {
    return { ok: false, reason: `body nests objects and arrays deeper than ${MAX_DEPTH} levels` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `body is not JSON: ${errorMessage(error)}` };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { ok: false, reason: 'body must be a JSON object (the seed 003 envelope)' };
  }
  return { ok: true, json: json as Record<string, unknown> };
}

/** Whether JSON `text` opens more than `max` objects and arrays inside each other, without parsing it. */
function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let n = 0; n < text.length; n++) {
    const char = text[n];
    if (inString) {
      if (char === '\\') n++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{' || char === '[') {
      if (++depth > max) return true;
    } else if (char === '}' || char === ']') depth--;
  }
  return false;
}
