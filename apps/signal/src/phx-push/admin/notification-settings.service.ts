import { Injectable } from '@nestjs/common';
import { PhxNotificationSettingRepository, PhxNotificationSettingView } from '@signal/persistence';
import { SignalErrorCode, SignalException } from '../../common/signal.exception';
import { PutNotificationSettingDto } from './admin.dto';

const notFound = (actionCode: string) =>
  new SignalException(
    SignalErrorCode.NOT_FOUND,
    `action code ${actionCode} has no notification setting`,
  );

/** Whether and where each action code's notifications go. */
@Injectable()
export class NotificationSettingsService {
  constructor(private readonly settings: PhxNotificationSettingRepository) {}

  list(): Promise<PhxNotificationSettingView[]> {
    return this.settings.list();
  }

  async get(actionCode: string): Promise<PhxNotificationSettingView> {
    const setting = await this.settings.find(actionCode);
    if (!setting) throw notFound(actionCode);
    return setting;
  }

  put(actionCode: string, body: PutNotificationSettingDto): Promise<PhxNotificationSettingView> {
    return this.settings.put({
      actionCode,
      enabled: body.enabled,
      channels: body.channels,
      critical: body.critical,
      description: body.description ?? null,
    });
  }

  async delete(actionCode: string): Promise<void> {
    if (!(await this.settings.delete(actionCode))) throw notFound(actionCode);
  }
}
