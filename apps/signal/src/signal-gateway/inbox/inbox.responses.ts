import { ApiProperty } from '@nestjs/swagger';
import { NotificationCreatedPayload } from '@signal/core';
import { PageResponse } from '../../common/page.response';

/** One activity notification, as the inbox lists it and the socket event carries it. */
export class ActivityNotificationResponse implements NotificationCreatedPayload {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ description: 'The Kafka message’s eventType', example: 'PAYMENT_SUCCESS' })
  type!: string;

  @ApiProperty({ type: String, nullable: true, example: 'org-1' })
  organizerId!: string | null;

  @ApiProperty({ example: 'Nguyễn Văn A đã thanh toán thành công Học phí tháng 9' })
  content!: string;

  @ApiProperty({ type: String, nullable: true, example: 'https://portal.phx.vn/payments/pay-1' })
  actionUrl!: string | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { payment: { id: 'pay-1', subject: 'Học phí tháng 9' } },
  })
  data!: Record<string, unknown>;

  @ApiProperty()
  isRead!: boolean;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export const ActivityNotificationPage = PageResponse(
  ActivityNotificationResponse,
  'Pass as `cursor` for the next page (catch-up: with the same `after`); null at the end',
);

export class UnreadCountResponse {
  @ApiProperty({ type: 'integer', example: 3 })
  count!: number;
}

/** The answer of marking one notification or Notification Center record read. */
export class MarkedReadResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: [true] })
  isRead!: true;
}

/** The answer of marking all read. */
export class MarkedAllReadResponse {
  @ApiProperty({
    type: 'integer',
    description: 'How many were unread until now (up to the newest one when the request ran)',
    example: 3,
  })
  marked!: number;
}
