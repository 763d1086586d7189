import { Transform } from 'class-transformer';

const LENIENT_TRUE = ['true', '1', 'yes'];
const LENIENT_FALSE = ['false', '0', 'no'];

export interface ToBooleanOptions {
  /**
   * Also `1/0/yes/no`, any case, blanks around ignored: what people write in environment
   * variables. Default `false`: exactly `true` or `false`, as in a query string.
   */
  readonly lenient?: boolean;
}

/** Turns a string into a boolean; anything else stays as it was, so `@IsBoolean` reports it. */
export function ToBoolean({ lenient = false }: ToBooleanOptions = {}): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => {
    if (typeof value !== 'string') return value;
    const word = lenient ? value.trim().toLowerCase() : value;
    if (word === 'true' || (lenient && LENIENT_TRUE.includes(word))) return true;
    if (word === 'false' || (lenient && LENIENT_FALSE.includes(word))) return false;
    return value;
  });
}
