import { ApiProperty } from '@nestjs/swagger';
import {
  PhxChannel,
  PhxChannels,
  PhxDeliveryLogEntry,
  PhxDeliveryStatus,
  PhxDeviceView,
  PhxNotificationPreferenceView,
  PhxNotificationSettingView,
  PhxRequestStatus,
} from '@signal/persistence';
import { NotificationType } from 'phx-node';
import { PageResponse } from '../../common/page.response';

// Every member of each union, checked by the compiler both ways.
const REQUEST_STATUSES = Object.keys({
  accepted: 0,
  not_delivered: 0,
  delivered: 0,
  partially_delivered: 0,
  failed: 0,
} satisfies Record<PhxRequestStatus, 0>);
const DELIVERY_STATUSES = Object.keys({
  pending: 0,
  sending: 0,
  sent: 0,
  failed: 0,
  skipped: 0,
} satisfies Record<PhxDeliveryStatus, 0>);

const CHANNEL = { enum: PhxChannels, enumName: 'PhxChannel' } as const;
const ACTION_CODE_EXAMPLE = 'HRM_CHECKIN:FACEID';

export class NotificationSettingResponse implements PhxNotificationSettingView {
  @ApiProperty({ example: ACTION_CODE_EXAMPLE })
  actionCode!: string;

  @ApiProperty({ description: 'Off: every request of this action code is not delivered' })
  enabled!: boolean;

  @ApiProperty({ ...CHANNEL, isArray: true, example: ['push', 'in_app'] })
  channels!: PhxChannel[];

  @ApiProperty({ description: 'Critical action codes cannot be muted by users' })
  critical!: boolean;

  @ApiProperty({ type: String, nullable: true, example: 'Check-in bằng FaceID' })
  description!: string | null;

  @ApiProperty()
  createdAt!: Date;

  @ApiProperty()
  updatedAt!: Date;
}

export class PreferenceResponse implements PhxNotificationPreferenceView {
  @ApiProperty({ example: ACTION_CODE_EXAMPLE })
  actionCode!: string;

  @ApiProperty(CHANNEL)
  channel!: PhxChannel;

  @ApiProperty({ description: 'Off: the user muted this action code on this channel' })
  enabled!: boolean;

  @ApiProperty()
  updatedAt!: Date;
}

export class DeviceResponse implements PhxDeviceView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: '8652' })
  userId!: string;

  @ApiProperty({ example: 'PHX_PARENT' })
  app!: string;

  @ApiProperty({ description: 'The push token of the device' })
  token!: string;

  @ApiProperty({ type: String, nullable: true, example: 'android' })
  platform!: string | null;

  @ApiProperty({ description: 'False once the push provider reported the token dead' })
  active!: boolean;

  @ApiProperty({ type: String, nullable: true, description: 'Why the provider refused the token' })
  deactivatedReason!: string | null;

  @ApiProperty({ type: Date, nullable: true })
  deactivatedAt!: Date | null;

  @ApiProperty()
  createdAt!: Date;

  @ApiProperty()
  updatedAt!: Date;
}

/** How one channel of one request went. */
export class DeliveryLogChannelResponse {
  @ApiProperty(CHANNEL)
  channel!: PhxChannel;

  @ApiProperty({ enum: DELIVERY_STATUSES })
  status!: PhxDeliveryStatus;

  @ApiProperty({ type: String, nullable: true, description: 'Why it was skipped or failed' })
  reason!: string | null;

  @ApiProperty({ type: 'integer' })
  attempts!: number;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: "The provider's answer, e.g. per device",
  })
  detail!: Record<string, unknown> | null;

  @ApiProperty()
  updatedAt!: Date;
}

export class DeliveryLogEntryResponse implements PhxDeliveryLogEntry {
  @ApiProperty({ format: 'uuid', description: 'The request id the Producer answered with' })
  id!: string;

  @ApiProperty({ example: '8652' })
  userId!: string;

  @ApiProperty({ type: 'integer', nullable: true })
  studentId!: number | null;

  @ApiProperty({ enum: NotificationType, enumName: 'NotificationType' })
  type!: string;

  @ApiProperty({ example: ACTION_CODE_EXAMPLE })
  actionCode!: string;

  @ApiProperty({ example: 'portal.phx.vn' })
  hostname!: string;

  @ApiProperty({ enum: REQUEST_STATUSES })
  status!: PhxRequestStatus;

  @ApiProperty({
    type: String,
    nullable: true,
    description:
      "Why not everything went out: the Producer's reason (no setting under PHX_UNCONFIGURED_ACTION_CODES=skip, disabled, muted…), then the Consumer's",
  })
  reason!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description:
      "What chose the channels: the action code's setting as it was then, or the default for a code without one; null for requests stored before Signal kept it",
    example: 'no setting: default, all channels',
  })
  decidedBy!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'The x-correlation-id of the sending request: search the logs for it to follow every attempt',
    example: 'b8f6c1de-1c1e-4bb0-9f55-0d6c1b0e2a47',
  })
  correlationId!: string | null;

  @ApiProperty()
  createdAt!: Date;

  @ApiProperty({ type: Date, nullable: true })
  handedOffAt!: Date | null;

  @ApiProperty({ type: Date, nullable: true })
  completedAt!: Date | null;

  @ApiProperty({ type: [DeliveryLogChannelResponse] })
  deliveries!: DeliveryLogChannelResponse[];
}

export const DeliveryLogPage = PageResponse(
  DeliveryLogEntryResponse,
  'Pass as `cursor` for the next page; null at the end',
);
