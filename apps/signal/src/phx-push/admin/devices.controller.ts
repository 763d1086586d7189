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
import { ApiKeyGuard } from '../../auth/api-key.guard';
import { CurrentUser, UserJwtGuard } from '../../auth/user-jwt.guard';
import { UserPrincipal } from '../../auth/user-principal';
import { DeviceParams, RegisterDeviceDto, UserDeviceParams, UserParams } from './admin.dto';
import { DevicesService } from './devices.service';

/** An operator or another service managing a user's devices. */
@Controller('admin/users/:userId/devices')
@UseGuards(ApiKeyGuard)
export class UserDevicesController {
  constructor(private readonly devices: DevicesService) {}

  @Get()
  list(@Param() { userId }: UserParams) {
    return this.devices.list(userId);
  }

  @Post()
  register(@Param() { userId }: UserParams, @Body() body: RegisterDeviceDto) {
    return this.devices.register(userId, body);
  }

  @Delete(':deviceId')
  @HttpCode(HttpStatus.NO_CONTENT)
  unregister(@Param() { userId, deviceId }: UserDeviceParams) {
    return this.devices.unregister(userId, deviceId);
  }
}

/** The signed-in user's app registering its own device. */
@Controller('notification-center/devices')
@UseGuards(UserJwtGuard)
export class MyDevicesController {
  constructor(private readonly devices: DevicesService) {}

  @Post()
  register(@CurrentUser() user: UserPrincipal, @Body() body: RegisterDeviceDto) {
    return this.devices.register(user.userId, body);
  }

  @Delete(':deviceId')
  @HttpCode(HttpStatus.NO_CONTENT)
  unregister(@CurrentUser() user: UserPrincipal, @Param() { deviceId }: DeviceParams) {
    return this.devices.unregister(user.userId, deviceId);
  }
}
