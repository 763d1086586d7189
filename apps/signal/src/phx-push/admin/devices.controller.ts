import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  UseGuards,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ServiceAuth } from '../../auth/api-key.guard';
import { CurrentUser, UserJwtGuard } from '../../auth/user-jwt.guard';
import { UserPrincipal } from '../../auth/user-principal';
import { ApiInvalidInput, ApiNotFound, ApiUserAuth } from '../../common/api-docs.decorators';
import { BodyLimit } from '../../common/body-limit';
import { UserParams } from '../../common/user.params';
import {
  DeviceParams,
  REGISTER_DEVICE_BODY_LIMIT,
  RegisterDeviceDto,
  UserDeviceParams,
} from './admin.dto';
import { DeviceResponse } from './admin.responses';
import { DevicesService } from './devices.service';

const RE_REGISTERING = 'Registering a known token again reactivates it and moves it to this user.';

/** An operator or another service managing a user's devices. */
@ApiTags('admin: devices')
@ServiceAuth('admin')
@ApiInvalidInput('userId, deviceId or the body is invalid')
@Controller('admin/users/:userId/devices')
export class UserDevicesController {
  constructor(private readonly devices: DevicesService) {}

  @ApiOperation({ summary: "A user's registered devices, active and deactivated" })
  @ApiOkResponse({ type: [DeviceResponse] })
  @Get()
  list(@Param() { userId }: UserParams) {
    return this.devices.list(userId);
  }

  @ApiOperation({
    summary: "Register a push token for a user's device",
    description: RE_REGISTERING,
  })
  @ApiCreatedResponse({ type: DeviceResponse })
  @Post()
  @BodyLimit(REGISTER_DEVICE_BODY_LIMIT)
  register(@Param() { userId }: UserParams, @Body() body: RegisterDeviceDto) {
    return this.devices.register(userId, body);
  }

  @ApiOperation({ summary: "Remove one of a user's devices" })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiNotFound('The user has no device with this id')
  @Delete(':deviceId')
  @HttpCode(HttpStatus.NO_CONTENT)
  unregister(@Param() { userId, deviceId }: UserDeviceParams) {
    return this.devices.unregister(userId, deviceId);
  }
}

/** The signed-in user's app registering its own device. */
@ApiTags('notification center')
@ApiUserAuth()
@ApiInvalidInput('deviceId or the body is invalid')
@Controller('notification-center/devices')
@UseGuards(UserJwtGuard)
export class MyDevicesController {
  constructor(private readonly devices: DevicesService) {}

  @ApiOperation({
    summary: "Register the signed-in user's device for push",
    description: RE_REGISTERING,
  })
  @ApiCreatedResponse({ type: DeviceResponse })
  @Post()
  @BodyLimit(REGISTER_DEVICE_BODY_LIMIT)
  register(@CurrentUser() user: UserPrincipal, @Body() body: RegisterDeviceDto) {
    return this.devices.register(user.userId, body);
  }

  @ApiOperation({ summary: "Remove one of the signed-in user's devices" })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiNotFound('The user has no device with this id')
  @Delete(':deviceId')
  @HttpCode(HttpStatus.NO_CONTENT)
  unregister(@CurrentUser() user: UserPrincipal, @Param() { deviceId }: DeviceParams) {
    return this.devices.unregister(user.userId, deviceId);
  }
}
