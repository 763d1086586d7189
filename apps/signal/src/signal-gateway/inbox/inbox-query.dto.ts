import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { IsSeqCursor } from '../../common/seq-cursor.validator';

export class InboxCatchUpQueryDto {
  @ApiProperty({
    description:
      'Id of the last notification the client saw; the answer also covers what was created shortly before it',
    format: 'uuid',
  })
  @IsUUID('all', { message: 'after must be a notification id (UUID)' })
  after!: string;

  @ApiPropertyOptional({
    description:
      '`nextCursor` of the previous catch-up page (or of `replay-truncated`), with the same `after`',
    pattern: '^\\d{1,19}$',
    example: '1042',
  })
  @IsOptional()
  @IsSeqCursor({ message: 'cursor must be the nextCursor of a previous page' })
  cursor?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit = 100;
}
