import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsDefined,
  IsIn,
  IsISO8601,
  isISO8601,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  maxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  ACTIVITY_NOTIFICATION_MAX_RECIPIENT_IDS,
  ActivityNotificationRecipientScopes,
  RECIPIENT_ID_PATTERN,
  RECIPIENT_ID_RULE,
} from '@signal/core';
import { isPlainJsonData } from '../common/signal-validation.pipe';

// Ids become room names and varchar(128) columns.
const ID_MESSAGE = `must be an id of ${RECIPIENT_ID_RULE}`;
const EVENT_ID_MAX_LENGTH = 200;
const NOT_BLANK = /\S/;

class ActorDto {
  @IsString()
  @Matches(RECIPIENT_ID_PATTERN, { message: `actor.id ${ID_MESSAGE}` })
  id!: string;

  @IsString()
  @Matches(NOT_BLANK, { message: 'actor.name must not be empty' })
  name!: string;

  @IsString()
  @Matches(NOT_BLANK, { message: 'actor.type must not be empty' })
  type!: string;
}

/** `TActivityNotificationMessage` as validated at the Kafka boundary. */
export class ActivityNotificationMessageDto {
  @IsString()
  @Matches(NOT_BLANK, { message: 'eventType must not be empty' })
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
  @Matches(NOT_BLANK, { message: 'eventId must not be empty' })
  @MaxLength(EVENT_ID_MAX_LENGTH)
  eventId?: string;

  /**
   * The message as `plainToInstance` + `validateSync` would give it when the rules above accept
   * it, without them (every message takes this way: they cost more than the rest of its ingest);
   * undefined for anything else, which the caller then validates and words the usual way. The
   * rules' own checks (`isISO8601`, `maxLength`) where a regular expression would differ.
   */
  static acceptValid(value: Record<string, unknown>): ActivityNotificationMessageDto | undefined {
    // Plain JSON data is what class-transformer copies unchanged (it drops `constructor` keys).
    if (!isPlainJsonData(value)) return undefined;
    const message = value as Partial<Record<keyof ActivityNotificationMessageDto, unknown>>;
    const { recipientScope, merchantId, recipientIds, eventId } = message;
    const valid =
      isNotBlank(message.eventType) &&
      ActivityNotificationRecipientScopes.includes(recipientScope as never) &&
      isId(message.actorId) &&
      isActor(message.actor) &&
      isId(message.organizerId) &&
      (recipientScope === 'merchant' || merchantId !== undefined ? isId(merchantId) : true) &&
      (recipientScope === 'users' || recipientIds !== undefined
        ? isRecipientList(recipientIds)
        : true) &&
      isJsonObject(message.data) &&
      isISO8601(message.occurredAt, { strict: true }) &&
      (eventId === undefined ||
        eventId === null ||
        (isNotBlank(eventId) && maxLength(eventId, EVENT_ID_MAX_LENGTH)));
    return valid ? Object.assign(new ActivityNotificationMessageDto(), value) : undefined;
  }
}

const isNotBlank = (value: unknown): value is string =>
  typeof value === 'string' && NOT_BLANK.test(value);

const isId = (value: unknown): value is string =>
  typeof value === 'string' && RECIPIENT_ID_PATTERN.test(value);

const isJsonObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// An array of actors passes `@ValidateNested` too; the general path keeps deciding those.
const isActor = (value: unknown): boolean => {
  if (!isJsonObject(value)) return false;
  return isId(value.id) && isNotBlank(value.name) && isNotBlank(value.type);
};

const isRecipientList = (value: unknown): boolean =>
  Array.isArray(value) &&
  value.length > 0 &&
  value.length <= ACTIVITY_NOTIFICATION_MAX_RECIPIENT_IDS &&
  value.every(isId);
