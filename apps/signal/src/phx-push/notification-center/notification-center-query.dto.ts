import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsOptional, Max, Min } from 'class-validator';
import { NotificationType } from 'phx-node';
import { InboxListQueryDto } from '../../common/inbox-list-query.dto';

const TABS = Object.values(NotificationType).join(', ');

/** `GET /notification-center/records`: the inbox's paging and unread filter, plus tab and student. */
export class NotificationCenterListQueryDto extends InboxListQueryDto {
  @ApiPropertyOptional({
    enum: NotificationType,
    enumName: 'NotificationType',
    description: 'One tab only',
  })
  @IsOptional()
  @IsEnum(NotificationType, { message: `type must be one of ${TABS}` })
  type?: NotificationType;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: Number.MAX_SAFE_INTEGER,
    description: 'Only the records about this student',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'studentId must be an integer' })
  @Min(1, { message: 'studentId must be positive' })
  // Beyond it, Number() no longer holds the integer the caller sent (and PostgreSQL's bigint ends).
  @Max(Number.MAX_SAFE_INTEGER, { message: 'studentId must be at most 9007199254740991' })
  studentId?: number;
}

/** `POST /notification-center/records/read-all`: optionally one tab only. */
export class NotificationCenterReadAllQueryDto {
  @ApiPropertyOptional({
    enum: NotificationType,
    enumName: 'NotificationType',
    description: 'One tab only; absent: every tab',
  })
  @IsOptional()
  @IsEnum(NotificationType, { message: `type must be one of ${TABS}` })
  type?: NotificationType;
}
