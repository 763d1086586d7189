import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { LegacyEventDto } from './legacy-event.dto';
import { errorMessage } from '../common/error-message';

export type LegacyParseResult = { ok: true; event: LegacyEventDto } | { ok: false; reason: string };

/**
 * Turns a message body into a valid seed 003 event, or says why not (every violation, "; "
 * joined, as the dead-letter reason). Never throws: bad input is the publisher's problem.
 */
export function parseLegacyEvent(content: Buffer): LegacyParseResult {
  let json: unknown;
  try {
    json = JSON.parse(content.toString('utf8'));
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
