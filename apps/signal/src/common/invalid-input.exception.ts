import { BadRequestException } from '@nestjs/common';
import { PhxViolation } from 'phx-node';
import { SignalErrorCode } from './signal.exception';

/**
 * 400 `INVALID_INPUT` listing every violation, as text and as `violations`, which `phx-node`
 * turns back into its typed validation error.
 */
export function invalidInputException(violations: PhxViolation[]): BadRequestException {
  return new BadRequestException({
    statusCode: 400,
    error: SignalErrorCode.INVALID_INPUT,
    message: violations.map(({ field, message }) => `${field}: ${message}`),
    violations,
  });
}
