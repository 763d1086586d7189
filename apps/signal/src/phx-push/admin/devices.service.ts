import { Injectable } from '@nestjs/common';
import { PhxDeviceTokenRepository, PhxDeviceView } from '@signal/persistence';
import { SignalErrorCode, SignalException } from '../../common/signal.exception';
import { RegisterDeviceDto } from './admin.dto';

/** Push tokens of users' devices, registered by the apps themselves or by an operator. */
@Injectable()
export class DevicesService {
  constructor(private readonly devices: PhxDeviceTokenRepository) {}

  list(userId: string): Promise<PhxDeviceView[]> {
    return this.devices.listForUser(userId);
  }

  register(userId: string, device: RegisterDeviceDto): Promise<PhxDeviceView> {
    return this.devices.register(userId, {
      app: device.app,
      token: device.token,
      platform: device.platform ?? null,
    });
  }

  async unregister(userId: string, deviceId: string): Promise<void> {
    if (!(await this.devices.remove(userId, deviceId))) {
      throw new SignalException(
        SignalErrorCode.NOT_FOUND,
        `user ${userId} has no device ${deviceId}`,
      );
    }
  }
}
