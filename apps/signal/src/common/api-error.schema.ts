import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SignalErrorCode } from './signal.exception';

/** Every error answer: what `SignalExceptionFilter` and the global validation pipe write. */
export class ApiErrorSchema {
  @ApiProperty({ type: 'integer', description: 'The HTTP status, repeated', example: 400 })
  statusCode!: number;

  @ApiProperty({
    description: `Signal's error code: one of ${Object.values(SignalErrorCode).join(', ')}. Nest's own rejections (e.g. a malformed UUID in the path) carry the status text, e.g. "Bad Request".`,
    example: SignalErrorCode.INVALID_INPUT,
  })
  error!: string;

  @ApiProperty({
    description: 'What is wrong: one line, or one line per violation when the input is invalid',
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    example: ['limit must not be greater than 100'],
  })
  message!: string | string[];

  @ApiPropertyOptional({
    description: 'On a 500 (INTERNAL_ERROR): the id the cause is logged under',
    format: 'uuid',
  })
  errorId?: string;
}
