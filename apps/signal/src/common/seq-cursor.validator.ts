import { ValidateBy, ValidationOptions } from 'class-validator';

/** PostgreSQL's bigint ends here; a larger cursor would reach the database and fail there. */
const BIGINT_MAX = 2n ** 63n - 1n;

/** A decimal position in a bigint sequence (the `nextCursor` of a page): 0 to 2^63 − 1. */
export function isSeqCursor(value: unknown): value is string {
  return typeof value === 'string' && /^\d{1,19}$/.test(value) && BigInt(value) <= BIGINT_MAX;
}

/** The property is a bigint page cursor; anything else is the caller's mistake (400), never a 500. */
export function IsSeqCursor(options: ValidationOptions): PropertyDecorator {
  return ValidateBy({ name: 'isSeqCursor', validator: { validate: isSeqCursor } }, options);
}
