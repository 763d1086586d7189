import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { LegacyEventDto } from './legacy-event.dto';
import { errorMessage } from '../common/error-message';

export type LegacyParseResult = { ok: true; event: LegacyEventDto } | { ok: false; reason: string };

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
  const event = plainToInstance(LegacyEventDto, json);
  const violations = describeViolations(validateSync(event));
  const notification = event.payload?.notification;
  if (
    violations.length === 0 &&
    !notification.targetUsers?.length &&
    !notification.targetRoles?.length
  ) {
    violations.push('payload.notification: targetUsers or targetRoles must name someone');
  }
  return violations.length === 0
    ? { ok: true, event }
    : { ok: false, reason: violations.join('; ') };
}

/** `payload.notification.title: title must be shorter than or equal to 200 characters`. */
function describeViolations(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent === '' ? error.property : `${parent}.${error.property}`;
    return [
      ...Object.values(error.constraints ?? {}).map((message) => `${path}: ${message}`),
      ...describeViolations(error.children ?? [], path),
    ];
  });
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
