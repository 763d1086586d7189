import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsDefined,
  IsIn,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  ACTIVITY_NOTIFICATION_MAX_RECIPIENT_IDS,
  ActivityNotificationRecipientScopes,
  RECIPIENT_ID_PATTERN,
  RECIPIENT_ID_RULE,
} from '@signal/core';

// Ids become room names and varchar(128) columns.
const ID_MESSAGE = `must be an id of ${RECIPIENT_ID_RULE}`;

class ActorDto {
  @IsString()
  @Matches(RECIPIENT_ID_PATTERN, { message: `actor.id ${ID_MESSAGE}` })
  id!: string;

  @IsString()
  @Matches(/\S/, { message: 'actor.name must not be empty' })
  name!: string;

  @IsString()
  @Matches(/\S/, { message: 'actor.type must not be empty' })
  type!: string;
}

/** `TActivityNotificationMessage` as validated at the Kafka boundary. */
export class ActivityNotificationMessageDto {
  @IsString()
  @Matches(/\S/, { message: 'eventType must not be empty' })
  eventType!: string;

  @IsIn(ActivityNotificationRecipientScopes)
  recipientScope!: 'org' | 'merchant' | 'users';

  @IsString()
  @Matches(RECIPIENT_ID_PATTERN, { message: `actorId ${ID_MESSAGE}` })
  actorId!: string;

  @IsDefined()
  @ValidateNested()
  @Type(() => ActorDto)
  actor!: ActorDto;

  @IsString()
  @Matches(RECIPIENT_ID_PATTERN, { message: `organizerId ${ID_MESSAGE}` })
  organizerId!: string;

  @ValidateIf(
    (message: ActivityNotificationMessageDto) =>
      message.recipientScope === 'merchant' || message.merchantId !== undefined,
  )
  @IsString({ message: 'merchantId is required when recipientScope is merchant' })
  @Matches(RECIPIENT_ID_PATTERN, { message: `merchantId ${ID_MESSAGE}` })
  merchantId?: string;

  @ValidateIf(
    (message: ActivityNotificationMessageDto) =>
      message.recipientScope === 'users' || message.recipientIds !== undefined,
  )
  @IsArray({ message: 'recipientIds must be a list when recipientScope is users' })
  @ArrayNotEmpty({ message: 'recipientIds must not be empty when recipientScope is users' })
  @ArrayMaxSize(ACTIVITY_NOTIFICATION_MAX_RECIPIENT_IDS, {
    message: `recipientIds must hold at most ${ACTIVITY_NOTIFICATION_MAX_RECIPIENT_IDS} ids; address a wider audience with recipientScope org or merchant`,
  })
  @Matches(RECIPIENT_ID_PATTERN, { each: true, message: `each of recipientIds ${ID_MESSAGE}` })
  recipientIds?: string[];

  @IsObject({ message: 'data must be an object' })
  data!: Record<string, unknown>;

  @IsISO8601({ strict: true }, { message: 'occurredAt must be an ISO-8601 date' })
  occurredAt!: string;

  @IsOptional()
  @IsString()
  @Matches(/\S/, { message: 'eventId must not be empty' })
  @MaxLength(200)
  eventId?: string;
}
