import { ValidationError } from 'class-validator';

/** One property that failed validation, with every constraint it failed. */
export interface Violation {
  /** Dotted from the validated object, e.g. `payload.notification.title`. */
  readonly path: string;
  /** Whether the property sits inside another one (validated through `@ValidateNested`). */
  readonly nested: boolean;
  /** The failed constraints' messages, e.g. `title must be a string`. */
  readonly messages: string[];
}

/**
 * Every property class-validator rejected, nested ones included, parents before their children;
 * each caller words them for its own audience (HTTP 400 body, dead-letter reason, boot error).
 */
export function validationViolations(errors: ValidationError[], parent = ''): Violation[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const messages = Object.values(error.constraints ?? {});
    const own = messages.length > 0 ? [{ path, nested: parent !== '', messages }] : [];
    return [...own, ...validationViolations(error.children ?? [], path)];
  });
}
