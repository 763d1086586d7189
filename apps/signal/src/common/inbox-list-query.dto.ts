import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsSeqCursor } from './seq-cursor.validator';
import { ToBoolean } from './to-boolean.transform';

/** A page of an inbox (the activity inbox, the notification center): cursor, limit, unread only. */
export class InboxListQueryDto {
  @ApiPropertyOptional({
    description: '`nextCursor` of the previous page; absent for the newest page',
    pattern: '^\\d{1,19}$',
    example: '1042',
  })
  @IsOptional()
  @IsSeqCursor({ message: 'cursor must be the nextCursor of a previous page' })
  cursor?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit = 20;

  @ApiPropertyOptional({ type: Boolean, description: 'Only the unread ones', default: false })
  @IsOptional()
  @ToBoolean()
  @IsBoolean({ message: 'unread must be true or false' })
  unread = false;
}
