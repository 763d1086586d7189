import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateNested,
  ValidationOptions,
} from 'class-validator';
import { PhxChannel, PhxChannels } from '@signal/persistence';
import { isValidActionCode, PUSH_INAPP_NOTI_LIMITS } from 'phx-node';

const CHANNELS_MESSAGE = `must be one of ${PhxChannels.join(', ')}`;
const PLATFORMS = ['ios', 'android', 'web'] as const;

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
  @IsActionCode()
  actionCode!: string;
}

export class UserParams {
  // User ids are stored as text and end up in socket room names: no whitespace, no "/".
  @Matches(/^[^\s/]{1,128}$/, {
    message: 'userId must be 1-128 characters without whitespace or "/"',
  })
  userId!: string;
}

const IsDeviceId = () => IsUUID('all', { message: 'deviceId must be a device id (UUID)' });

export class DeviceParams {
  @IsDeviceId()
  deviceId!: string;
}

export class UserDeviceParams extends UserParams {
  @IsDeviceId()
  deviceId!: string;
}

export class NotificationParams {
  @IsUUID('all', { message: 'id must be a notification id (UUID)' })
  id!: string;
}

export class PutNotificationSettingDto {
  @IsBoolean()
  enabled!: boolean;

  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique({ message: 'channels must not repeat a channel' })
  @IsIn(PhxChannels, { each: true, message: `each of channels ${CHANNELS_MESSAGE}` })
  channels!: PhxChannel[];

  @IsBoolean()
  critical!: boolean;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;
}

export class PreferenceDto {
  @IsActionCode()
  actionCode!: string;

  @IsIn(PhxChannels, { message: `channel ${CHANNELS_MESSAGE}` })
  channel!: PhxChannel;

  @IsBoolean()
  enabled!: boolean;
}

export class PutUserPreferencesDto {
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => PreferenceDto)
  preferences!: PreferenceDto[];
}

export class RegisterDeviceDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  app!: string;

  @Matches(/^\S{1,4096}$/, { message: 'token must be 1-4096 characters without whitespace' })
  token!: string;

  @IsOptional()
  @IsIn(PLATFORMS, { message: `platform must be one of ${PLATFORMS.join(', ')}` })
  platform?: (typeof PLATFORMS)[number];
}

export class UserDeliveryLogQueryDto {
  @IsOptional()
  @IsActionCode()
  actionCode?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit = 20;

  /** `nextCursor` of the previous page. */
  @IsOptional()
  @IsUUID('all', { message: 'cursor must be the nextCursor of a previous page' })
  cursor?: string;
}
