import { ApiProperty, ApiPropertyOptional, IntersectionType, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateBy,
  ValidateNested,
  ValidationOptions,
} from 'class-validator';
import { PhxChannel, PhxChannels } from '@signal/persistence';
import { isValidActionCode, PUSH_INAPP_NOTI_LIMITS } from 'phx-node';
import { bodyLimitFor, jsonBytes, WIDEST_CHAR } from '../../common/body-limit';
import { InboxListQueryDto } from '../../common/inbox-list-query.dto';
import { UserParams } from '../../common/user.params';

const CHANNELS_MESSAGE = `must be one of ${PhxChannels.join(', ')}`;
const PLATFORMS = ['ios', 'android', 'web'] as const;
const CHANNEL = { enum: PhxChannels, enumName: 'PhxChannel' } as const;
const MAX_PREFERENCES = 1000;
const SETTING_DESCRIPTION_MAX = 2000;
const DEVICE_APP_MAX = 64;
const DEVICE_TOKEN_MAX = 4096;
const longest = (values: readonly string[]) =>
  values.reduce((a, b) => (b.length > a.length ? b : a));
const LONGEST_ACTION_CODE = 'A'.repeat(PUSH_INAPP_NOTI_LIMITS.actionCode);

const ACTION_CODE_DOC = {
  description: 'UPPER_SNAKE levels joined by ":" (MODULE:FUNCTION or MODULE:FUNCTION:SUB_FUNCTION)',
  maxLength: PUSH_INAPP_NOTI_LIMITS.actionCode,
  example: 'HRM_CHECKIN:FACEID',
};

/** The action-code rule of `phx-node` (seed 004 §7), with its length limit. */
function IsActionCode(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isActionCode',
      validator: {
        validate: (value: unknown) =>
          isValidActionCode(value) && value.length <= PUSH_INAPP_NOTI_LIMITS.actionCode,
        defaultMessage: (args) =>
          `${args?.property ?? 'actionCode'} must be UPPER_SNAKE levels joined by ":" (MODULE:FUNCTION or MODULE:FUNCTION:SUB_FUNCTION, at most ${PUSH_INAPP_NOTI_LIMITS.actionCode} characters)`,
      },
    },
    options,
  );
}

export class ActionCodeParams {
  @ApiProperty(ACTION_CODE_DOC)
  @IsActionCode()
  actionCode!: string;
}

export class DeviceParams {
  @ApiProperty({ description: 'The device id (UUID)', format: 'uuid' })
  @IsUUID('all', { message: 'deviceId must be a device id (UUID)' })
  deviceId!: string;
}

export class UserDeviceParams extends IntersectionType(UserParams, DeviceParams) {}

export class NotificationParams {
  @ApiProperty({ description: 'The request id the Producer answered with', format: 'uuid' })
  @IsUUID('all', { message: 'id must be a notification id (UUID)' })
  id!: string;
}

export class PutNotificationSettingDto {
  @ApiProperty({ description: 'Off: every request of this action code is not delivered' })
  @IsBoolean()
  enabled!: boolean;

  @ApiProperty({
    ...CHANNEL,
    isArray: true,
    minItems: 1,
    uniqueItems: true,
    description: 'Channels this action code may go out through',
    example: ['push', 'in_app'],
  })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique({ message: 'channels must not repeat a channel' })
  @IsIn(PhxChannels, { each: true, message: `each of channels ${CHANNELS_MESSAGE}` })
  channels!: PhxChannel[];

  @ApiProperty({ description: 'Critical action codes cannot be muted by users' })
  @IsBoolean()
  critical!: boolean;

  @ApiPropertyOptional({ maxLength: SETTING_DESCRIPTION_MAX, example: 'Check-in bằng FaceID' })
  @IsOptional()
  @IsString()
  @MaxLength(SETTING_DESCRIPTION_MAX)
  description?: string;
}

/** The body limit of `PutNotificationSettingDto`: every channel, the longest description. */
export const NOTIFICATION_SETTING_BODY_LIMIT = bodyLimitFor(
  jsonBytes({
    enabled: false,
    channels: PhxChannels,
    critical: false,
    description: WIDEST_CHAR.repeat(SETTING_DESCRIPTION_MAX),
  }),
);

export class PreferenceDto {
  @ApiProperty(ACTION_CODE_DOC)
  @IsActionCode()
  actionCode!: string;

  @ApiProperty(CHANNEL)
  @IsIn(PhxChannels, { message: `channel ${CHANNELS_MESSAGE}` })
  channel!: PhxChannel;

  @ApiProperty({ description: 'Off: the user mutes this action code on this channel' })
  @IsBoolean()
  enabled!: boolean;
}

export class PutUserPreferencesDto {
  @ApiProperty({
    type: [PreferenceDto],
    maxItems: MAX_PREFERENCES,
    description:
      "The user's whole set, replacing the previous one; one entry per (action code, channel); absent pairs are on",
  })
  @IsArray()
  @ArrayMaxSize(MAX_PREFERENCES)
  @ValidateNested({ each: true })
  @Type(() => PreferenceDto)
  preferences!: PreferenceDto[];
}

/** The body limit of `PutUserPreferencesDto`: a thousand entries at their longest. */
export const USER_PREFERENCES_BODY_LIMIT = bodyLimitFor(
  jsonBytes({
    preferences: Array.from({ length: MAX_PREFERENCES }, () => ({
      actionCode: LONGEST_ACTION_CODE,
      channel: longest(PhxChannels),
      enabled: false,
    })),
  }),
);

export class RegisterDeviceDto {
  @ApiProperty({
    maxLength: DEVICE_APP_MAX,
    description: 'The app the token belongs to',
    example: 'PHX_PARENT',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(DEVICE_APP_MAX)
  app!: string;

  @ApiProperty({
    description: `The push token: 1-${DEVICE_TOKEN_MAX} characters without whitespace`,
    maxLength: DEVICE_TOKEN_MAX,
  })
  @Matches(new RegExp(`^\\S{1,${DEVICE_TOKEN_MAX}}$`), {
    message: `token must be 1-${DEVICE_TOKEN_MAX} characters without whitespace`,
  })
  token!: string;

  @ApiPropertyOptional({ enum: PLATFORMS })
  @IsOptional()
  @IsIn(PLATFORMS, { message: `platform must be one of ${PLATFORMS.join(', ')}` })
  platform?: (typeof PLATFORMS)[number];
}

/** The body limit of `RegisterDeviceDto`: the longest app, token and platform. */
export const REGISTER_DEVICE_BODY_LIMIT = bodyLimitFor(
  jsonBytes({
    app: WIDEST_CHAR.repeat(DEVICE_APP_MAX),
    token: WIDEST_CHAR.repeat(DEVICE_TOKEN_MAX),
    platform: longest(PLATFORMS),
  }),
);

/** Pages as long as the inbox's (`limit`, default 20, at most 100). */
export class UserDeliveryLogQueryDto extends PickType(InboxListQueryDto, ['limit'] as const) {
  @ApiPropertyOptional({ ...ACTION_CODE_DOC, description: 'Only the requests of this action code' })
  @IsOptional()
  @IsActionCode()
  actionCode?: string;

  @ApiPropertyOptional({ description: '`nextCursor` of the previous page', format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'cursor must be the nextCursor of a previous page' })
  cursor?: string;
}
