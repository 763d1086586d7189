import { ApiProperty } from '@nestjs/swagger';
import { NotificationCenterRecordPayload } from '@signal/core';
import { NotificationType } from 'phx-node';
import { ANY_JSON_VALUE_SCHEMA } from '../../common/api-docs.decorators';
import { PageResponse } from '../../common/page.response';

/** One Notification Center record, as listed and as the socket event carries it. */
export class NotificationCenterRecordResponse implements NotificationCenterRecordPayload {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: NotificationType, enumName: 'NotificationType', description: 'The tab' })
  type!: NotificationType;

  @ApiProperty({ example: 'HRM_CHECKIN:FACEID' })
  actionCode!: string;

  @ApiProperty({ type: String, nullable: true, example: 'HRM_CHECKIN' })
  moduleCode!: string | null;

  @ApiProperty({ type: 'integer', nullable: true, example: 1201 })
  studentId!: number | null;

  @ApiProperty({ example: 'Check-in' })
  title!: string;

  @ApiProperty({ example: 'Bé đã tới trường' })
  message!: string;

  @ApiProperty({
    ...ANY_JSON_VALUE_SCHEMA,
    description: 'Data for the app to route the user: any JSON value, as the sender gave it',
    example: { action: 'OPEN_CHECK_IN_PAGE' },
  })
  payload!: unknown;

  @ApiProperty({ example: 'portal.phx.vn' })
  hostname!: string;

  @ApiProperty()
  isRead!: boolean;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export const NotificationCenterRecordPage = PageResponse(
  NotificationCenterRecordResponse,
  'Pass as `cursor` for the next (older) page; null at the end',
);

/** Unread records per tab, every tab present (zero included), and their total. */
export class NotificationCenterUnreadCountsResponse {
  @ApiProperty({ type: 'integer', example: 2 })
  [NotificationType.SYSTEM]!: number;

  @ApiProperty({ type: 'integer', example: 1 })
  [NotificationType.TO_ME]!: number;

  @ApiProperty({ type: 'integer', example: 3 })
  total!: number;
}
