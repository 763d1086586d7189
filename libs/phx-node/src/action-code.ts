/**
 * `MODULE:FUNCTION` or `MODULE:FUNCTION:SUB_FUNCTION`: upper-case ASCII letters, digits and `_`
 * in each level, levels joined by `:` (seed 004 §7).
 */
export const ACTION_CODE_PATTERN = /^[A-Z0-9_]+(?::[A-Z0-9_]+){1,2}$/;

/** Whether `value` is a well-formed action code. */
export function isValidActionCode(value: unknown): value is string {
  return typeof value === 'string' && ACTION_CODE_PATTERN.test(value);
}
