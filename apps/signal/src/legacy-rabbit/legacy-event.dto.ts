import { RECIPIENT_ID_PATTERN, RECIPIENT_ID_RULE } from '@signal/core';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { IsSafeLink } from './safe-link';

/** Seed 003's values; `priority` orders delivery under backlog. */
export const LEGACY_PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;
export type LegacyPriority = (typeof LEGACY_PRIORITIES)[number];
export const LEGACY_NOTIFICATION_TYPES = ['announcement', 'payment', 'booking', 'emergency'];
export const LEGACY_CHANNELS = ['push', 'in-app'] as const;
export type LegacyChannel = (typeof LEGACY_CHANNELS)[number];

/** `{service}.{EventName}`: the service in lower case, the event in PascalCase. */
export const LEGACY_EVENT_TYPE = /^[a-z][a-z0-9_-]{0,47}\.[A-Z][A-Za-z0-9]{0,63}$/;
// Same shape as the Producer's string user ids: they end up in socket room names.
export const LEGACY_ROLE = /^[A-Za-z0-9_.:-]{1,64}$/;
const MAX_TARGETS = 10_000;

/** Allowed in `payload.notification` (seed 003's optional fields) and in `payload` (its examples). */
class LegacyLinkFieldsDto {
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2048)
  // Goes into push payloads and Notification Records that apps open (SPEC §5).
  @IsSafeLink()
  redirectUrl?: string;

  @IsOptional()
  @IsObject()
  data?: Record<string, unknown>;
}

/** `payload.notification` of seed 003. */
export class LegacyNotificationDto extends LegacyLinkFieldsDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  body!: string;

  @IsIn(LEGACY_NOTIFICATION_TYPES)
  type!: string;

  @IsIn(LEGACY_PRIORITIES)
  priority!: LegacyPriority;

  @IsArray()
  @ArrayNotEmpty()
  @IsIn(LEGACY_CHANNELS, { each: true })
  channels!: LegacyChannel[];

  /** With `targetRoles`: at least one of the two must name someone (checked by the parser). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_TARGETS)
  @Matches(RECIPIENT_ID_PATTERN, {
    each: true,
    message: `each of targetUsers must be a user id of ${RECIPIENT_ID_RULE}`,
  })
  targetUsers?: string[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_TARGETS)
  @Matches(LEGACY_ROLE, {
    each: true,
    message: 'each of targetRoles must be 1-64 letters, digits, "_", ".", ":" or "-"',
  })
  targetRoles?: string[];

  @IsOptional()
  @IsISO8601({ strict: true })
  scheduledAt?: string;
}

/** `payload` of seed 003: the notification and what the redirect URL is made from. */
export class LegacyEventPayloadDto extends LegacyLinkFieldsDto {
  @IsObject()
  @ValidateNested()
  @Type(() => LegacyNotificationDto)
  notification!: LegacyNotificationDto;

  @Matches(/^[a-z][a-z0-9_-]{0,63}$/, {
    message: 'sourceService must be 1-64 lower-case letters, digits, "_" or "-"',
  })
  sourceService!: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  contentId?: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  contentType?: string;
}

/**
 * The V1 envelope of seed 003, down to its "Minimum Required" (`eventType`, `payload` with
 * `notification`, `sourceService`, `contentId`). Unknown fields are allowed (`aggregateId`,
 * `timestamp`, `correlationId`, `metadata`, …): V1 publishers add their own.
 */
export class LegacyEventDto {
  /** What makes a re-sent event go out once; without it the body's hash does (see the parser). */
  @IsOptional()
  @IsString()
  @Matches(/^[\x21-\x7e]{1,128}$/, {
    message: 'eventId must be 1-128 printable ASCII characters without spaces',
  })
  eventId?: string;

  @Matches(LEGACY_EVENT_TYPE, { message: 'eventType must be shaped {service}.{EventName}' })
  eventType!: string;

  @IsObject()
  @ValidateNested()
  @Type(() => LegacyEventPayloadDto)
  payload!: LegacyEventPayloadDto;
}
