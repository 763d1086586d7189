/** Collecting the violations of one payload: the checks every block of it uses. */

/** One thing wrong with a payload. */
export interface PhxViolation {
  /** Dotted path of the offending field, e.g. `sendEmailV3.listRequests[0].title`. */
  field: string;
  /** What is wrong, phrased to follow the field name, e.g. `is required`. */
  message: string;
}

export type Fields = Record<string, unknown>;

export function isPlainObject(value: unknown): value is Fields {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function isJsonValue(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object':
      return value === null || Array.isArray(value) || isPlainObject(value);
    default:
      return false;
  }
}

// Enough of a bad string to recognise it: a violation never echoes a whole field back.
const DESCRIBED_STRING_MAX = 64;

/** How a bad value is named in violation and option messages; long strings by their start. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') {
    return value.length <= DESCRIBED_STRING_MAX
      ? JSON.stringify(value)
      : `${JSON.stringify(value.slice(0, DESCRIBED_STRING_MAX))}… (${value.length} characters)`;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object') {
    // A class instance by its class: "a Date" says more than "an object".
    const name = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)
      ?.constructor?.name;
    return typeof name === 'string' && name !== '' && name !== 'Object' ? `a ${name}` : 'an object';
  }
  return `a ${typeof value}`;
}

export const isPositiveInteger = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value > 0;

/** Collects violations of one payload; every check runs, none stops the others. */
export class Checker {
  readonly violations: PhxViolation[] = [];

  fail(field: string, message: string): void {
    this.violations.push({ field, message });
  }

  allowedKeys(fields: Fields, allowed: readonly string[], path: string): void {
    for (const key of Object.keys(fields)) {
      if (!allowed.includes(key)) {
        this.fail(at(path, key), `is not an allowed field (allowed: ${allowed.join(', ')})`);
      }
    }
  }

  /** A non-blank string of at most `max` characters; `why` explains a requirement that depends on another field. */
  text(fields: Fields, key: string, path: string, max: number, required = true, why = ''): void {
    const field = at(path, key);
    const value = fields[key];
    if (value === undefined) {
      if (required) this.fail(field, `is required${why}`);
    } else if (typeof value !== 'string') {
      this.fail(field, `must be a string, got ${describeValue(value)}`);
    } else if (value.trim() === '') {
      this.fail(field, 'must not be empty');
    } else if (value.length > max) {
      this.fail(field, `must be at most ${max} characters, got ${value.length}`);
    }
  }

  /**
   * Any JSON value: an object, an array, a string, a finite number, a boolean or null. What lies
   * inside objects and arrays is sent as `JSON.stringify` writes it.
   */
  jsonValue(fields: Fields, key: string, path: string, required: boolean): void {
    const value = fields[key];
    if (value === undefined) {
      if (required) this.fail(at(path, key), 'is required');
    } else if (!isJsonValue(value)) {
      this.fail(
        at(path, key),
        `must be a JSON value (object, array, string, number, boolean or null), got ${describeValue(value)}`,
      );
    }
  }

  /** Runs `check` on `fields[key]` when it is present and a plain object with only `allowed` keys. */
  block(
    fields: Fields,
    key: string,
    path: string,
    allowed: readonly string[],
    check: (block: Fields, path: string) => void,
  ): void {
    const value = fields[key];
    if (value === undefined) return;
    const field = at(path, key);
    if (!isPlainObject(value)) {
      this.fail(field, `must be an object, got ${describeValue(value)}`);
      return;
    }
    this.allowedKeys(value, allowed, field);
    check(value, field);
  }
}

export function at(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}
