import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsOptional, Min } from 'class-validator';
import { NotificationType } from 'phx-node';
import { InboxListQueryDto } from '../../signal-gateway/inbox/inbox-query.dto';

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
    description: 'Only the records about this student',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'studentId must be an integer' })
  @Min(1, { message: 'studentId must be positive' })
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
