import { ArgumentMetadata, BadRequestException, ValidationPipe } from '@nestjs/common';
import { SignalErrorCode } from './signal.exception';
import { validationViolations } from './validation-violations';

/**
 * A body DTO whose valid bodies can be told without class-validator: `acceptValid(body)` returns
 * what `SignalValidationPipe` would (an instance holding the body's own values), or undefined for
 * anything it does not recognize as valid. A hot route's DTO, where class-transformer and
 * class-validator would cost more than the route's own work.
 */
export interface FastValidatedDto<T> {
  acceptValid(body: unknown): T | undefined;
}

const hasFastPath = (metatype: unknown): metatype is FastValidatedDto<unknown> =>
  typeof (metatype as Partial<FastValidatedDto<unknown>> | undefined)?.acceptValid === 'function';

/**
 * Nest's `ValidationPipe` as Signal runs it on every route: DTO classes built from the input,
 * unknown properties refused, one 400 `INVALID_INPUT` listing every violation. A body a
 * `FastValidatedDto` accepts skips it; everything else, every invalid body included, goes through
 * it, so errors are worded the same whichever DTO is asked.
 */
export class SignalValidationPipe extends ValidationPipe {
  constructor() {
    super({
      transform: true,
      whitelist: true,
      forbidNonWhitelisted: true,
      exceptionFactory: (errors) =>
        new BadRequestException({
          statusCode: 400,
          error: SignalErrorCode.INVALID_INPUT,
          // One line each, e.g. "payload must be a JSON object", "user.id: id must be a string".
          message: validationViolations(errors).flatMap(({ path, nested, messages }) =>
            messages.map((message) => (nested ? `${path}: ${message}` : message)),
          ),
        }),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && hasFastPath(metadata.metatype)) {
      const accepted = metadata.metatype.acceptValid(value);
      if (accepted !== undefined) return accepted;
    }
    return super.transform(value, metadata);
  }
}

// Beyond this, a body takes the general path, whatever it holds.
const MAX_FAST_DEPTH = 32;

/** Keys `ValidationPipe` deletes anywhere in a body before validating it (prototype pollution). */
const STRIPPED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'prototype', 'constructor']);

/**
 * Whether `value` is JSON data that `ValidationPipe` would hand on unchanged: objects (as
 * `JSON.parse` makes them) and arrays without gaps, of strings, numbers, booleans and null, with
 * no key it strips, at most `MAX_FAST_DEPTH` levels deep (which also bounds the recursion). What
 * `FastValidatedDto.acceptValid` may return as it is.
 */
export function isPlainJsonData(value: unknown, depth = 0): boolean {
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean' || value === null) return true;
  if (type !== 'object' || depth >= MAX_FAST_DEPTH) return false;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      if (!(index in value) || !isPlainJsonData(value[index], depth + 1)) return false;
    }
    return true;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const key of Object.keys(value as object)) {
    if (STRIPPED_KEYS.has(key)) return false;
    if (!isPlainJsonData((value as Record<string, unknown>)[key], depth + 1)) return false;
  }
  return true;
}
