import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import {
  ACTION_CODE_PATTERN,
  EmailType,
  IGroupRequestItem,
  IGroupRequestType,
  InAppNotice,
  NotificationType,
  PhxViolation,
  PUSH_INAPP_NOTI_LIMITS as LIMITS,
  PushInappNoti,
  PushNotiMobile,
  SendEmailV3,
} from 'phx-node';
import { ANY_JSON_VALUE_SCHEMA } from '../../common/api-docs.decorators';
import { ApiErrorSchema } from '../../common/api-error.schema';
import { EmitAnswer } from './phx-producer.service';

// The payload types are interfaces of `phx-node`, which must not depend on @nestjs/swagger:
// these classes describe them, and `implements` keeps them in step.

class GroupRequestItemSchema implements IGroupRequestItem {
  @ApiProperty({
    oneOf: [{ type: 'integer' }, { type: 'string', maxLength: LIMITS.requestId }],
    description: 'Id of the request in the calling system',
    example: 'OT-381',
  })
  id!: string | number;

  @ApiProperty({ maxLength: LIMITS.title, example: 'Làm thêm 18:00-21:00' })
  title!: string;

  @ApiPropertyOptional({ maxLength: LIMITS.title, description: 'Who made the request' })
  requester?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'When the request was made' })
  createdAt?: string;
}

class GroupRequestSchema implements IGroupRequestType {
  @ApiProperty({
    maxLength: LIMITS.code,
    description: 'Kind of request the group holds',
    example: 'OVERTIME',
  })
  type!: string;

  @ApiProperty({ maxLength: LIMITS.title, description: 'Heading of the group in the e-mail' })
  title!: string;

  @ApiProperty({
    type: 'integer',
    minimum: 0,
    description: 'How many requests of this kind are pending (may exceed `requests`)',
  })
  total!: number;

  @ApiPropertyOptional({
    format: 'uri',
    maxLength: LIMITS.link,
    description: 'Absolute http(s) URL of the page where the requests are handled',
  })
  link?: string;

  @ApiPropertyOptional({ type: [GroupRequestItemSchema] })
  requests?: GroupRequestItemSchema[];
}

@ApiSchema({ description: 'Mobile push block' })
class PushNotiMobileSchema implements PushNotiMobile {
  @ApiProperty({ maxLength: LIMITS.title, example: 'Check-in' })
  title!: string;

  @ApiProperty({ maxLength: LIMITS.message, example: 'Bé đã tới trường' })
  message!: string;

  @ApiProperty({
    maxLength: LIMITS.code,
    description: 'Business module the notification belongs to',
    example: 'HRM_CHECKIN',
  })
  module_code!: string;

  @ApiProperty({
    maxLength: LIMITS.code,
    description: 'App whose registered devices receive the push',
    example: 'PHX_PARENT',
  })
  app!: string;

  @ApiProperty({
    ...ANY_JSON_VALUE_SCHEMA,
    description:
      "Data handed to the app to route the user: any JSON value (seed 004: `payload: any`). Push providers get a map of strings: an object's string values as they are, its other values as JSON; any other value v as the object { payload: v } would be",
    example: { action: 'OPEN_CHECK_IN_PAGE' },
  })
  payload!: unknown;
}

@ApiSchema({ description: 'E-mail block' })
class SendEmailV3Schema implements SendEmailV3 {
  @ApiProperty({ enum: EmailType, enumName: 'EmailType', description: 'Template to render' })
  emailType!: EmailType;

  @ApiProperty({ format: 'email', maxLength: LIMITS.email, description: 'One address' })
  to!: string;

  @ApiProperty({ maxLength: LIMITS.subject })
  subject!: string;

  @ApiProperty({ maxLength: LIMITS.title, description: 'Heading inside the e-mail body' })
  title!: string;

  @ApiProperty({ maxLength: LIMITS.previewText, description: 'Preview shown in the inbox' })
  previewText!: string;

  @ApiPropertyOptional({
    maxLength: LIMITS.content,
    description: `Text or HTML body; required for "${EmailType.TRANSACTION_BASIC}"`,
  })
  content?: string;

  @ApiPropertyOptional({
    type: [GroupRequestSchema],
    description: `Groups of pending requests; required and non-empty for "${EmailType.HRM_REMIND}"`,
  })
  listRequests?: GroupRequestSchema[];

  @ApiPropertyOptional({ maxLength: LIMITS.description })
  description?: string;
}

@ApiSchema({
  description: 'In-app-only block: a Notification Center record without push or e-mail',
})
class InAppNoticeSchema implements InAppNotice {
  @ApiProperty({ maxLength: LIMITS.title })
  title!: string;

  @ApiProperty({ maxLength: LIMITS.message })
  message!: string;

  @ApiPropertyOptional({
    ...ANY_JSON_VALUE_SCHEMA,
    description: 'Data handed to the app when opened: any JSON value',
  })
  payload?: unknown;
}

@ApiSchema({
  description:
    'What `PHXPushNotificationService.send` posts. At least one of pushNotiMobile, sendEmailV3, inApp; unknown fields are violations. The Producer decides by the action code’s setting and the user’s preferences which blocks go out.',
})
export class PushInappNotiSchema implements PushInappNoti {
  @ApiProperty({
    oneOf: [
      { type: 'integer', minimum: 1 },
      { type: 'string', pattern: `^[^\\s/]{1,${LIMITS.userId}}$` },
    ],
    description: `The recipient: a positive integer, or 1-${LIMITS.userId} characters without whitespace or "/"`,
    example: 8652,
  })
  user_id!: number | string;

  @ApiProperty({
    maxLength: LIMITS.hostname,
    description: 'Hostname of the calling system',
    example: 'portal.phx.vn',
  })
  hostname!: string;

  @ApiProperty({
    pattern: ACTION_CODE_PATTERN.source,
    maxLength: LIMITS.actionCode,
    description: 'Key of the notification setting: MODULE:FUNCTION or MODULE:FUNCTION:SUB_FUNCTION',
    example: 'HRM_CHECKIN:FACEID',
  })
  action_code!: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    description: 'The student the notification is about (Notification Center filter)',
  })
  student_id?: number;

  @ApiPropertyOptional({
    enum: NotificationType,
    enumName: 'NotificationType',
    default: NotificationType.SYSTEM,
    description: 'Notification Center tab',
  })
  type?: NotificationType;

  @ApiPropertyOptional({ type: PushNotiMobileSchema })
  pushNotiMobile?: PushNotiMobileSchema;

  @ApiPropertyOptional({ type: SendEmailV3Schema })
  sendEmailV3?: SendEmailV3Schema;

  @ApiPropertyOptional({ type: InAppNoticeSchema })
  inApp?: InAppNoticeSchema;
}

/** Seed 004 §7.6: a check-in push to a parent. */
export const CHECK_IN_EXAMPLE = {
  user_id: 8652,
  hostname: 'portal.phx.vn',
  action_code: 'HRM_CHECKIN:FACEID',
  type: NotificationType.TO_ME,
  pushNotiMobile: {
    title: 'Check-in',
    message: 'Bé đã tới trường',
    module_code: 'HRM_CHECKIN',
    app: 'PHX_PARENT',
    payload: { action: 'OPEN_CHECK_IN_PAGE' },
  },
} satisfies PushInappNoti;

type EmitAnswerBody = EmitAnswer['body'];

export class PhxEmitAnswerResponse implements EmitAnswerBody {
  @ApiProperty({ enum: ['accepted', 'not_delivered'] })
  status!: EmitAnswerBody['status'];

  @ApiProperty({
    description: 'Through which channels, or why nothing goes out',
    example: 'accepted for delivery through push, in_app',
  })
  message!: string;

  @ApiProperty({
    format: 'uuid',
    description:
      'The stored request: GET /admin/notifications/{id}/deliveries tells what became of it',
  })
  id!: string;
}

class PhxViolationSchema implements PhxViolation {
  @ApiProperty({
    description: 'Dotted path of the offending field',
    example: 'pushNotiMobile.title',
  })
  field!: string;

  @ApiProperty({ example: 'is required' })
  message!: string;
}

/** The Producer's 400: the common error shape plus each violation, which `phx-node` reads back. */
export class PhxEmitBadRequestSchema extends ApiErrorSchema {
  @ApiProperty({ type: [PhxViolationSchema] })
  violations!: PhxViolationSchema[];
}
