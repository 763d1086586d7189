import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { ToBoolean } from './to-boolean.transform';

class StrictDto {
  @ToBoolean()
  flag?: unknown;
}

class LenientDto {
  @ToBoolean({ lenient: true })
  flag?: unknown;
}

const strict = (flag: unknown) => plainToInstance(StrictDto, { flag }).flag;
const lenient = (flag: unknown) => plainToInstance(LenientDto, { flag }).flag;

describe(ToBoolean.name, () => {
  it.each([
    ['true', true],
    ['false', false],
  ])('should read %j as %j', (text, expected) => {
    expect(strict(text)).toBe(expected);
    expect(lenient(text)).toBe(expected);
  });

  it.each(['TRUE', ' true', '1', 'yes', '0', 'no', ''])(
    'should leave %j as it is by default',
    (text) => {
      expect(strict(text)).toBe(text);
    },
  );

  it.each([
    ['1', true],
    ['Yes', true],
    [' TRUE ', true],
    ['0', false],
    ['no', false],
    ['False', false],
  ])('should read %j as %j when lenient', (text, expected) => {
    expect(lenient(text)).toBe(expected);
  });

  it.each(['on', '2', ''])('should leave %j as it is even when lenient', (text) => {
    expect(lenient(text)).toBe(text);
  });

  it('should leave values that are not strings as they are', () => {
    expect(strict(true)).toBe(true);
    expect(lenient(1)).toBe(1);
  });
});
