import { Module } from '@nestjs/common';
import { PhxPersistenceModule } from '@signal/persistence';
import { DeliveryLogController } from './delivery-log.controller';
import { DeliveryLogService } from './delivery-log.service';
import { MyDevicesController, UserDevicesController } from './devices.controller';
import { DevicesService } from './devices.service';
import { NotificationSettingsController } from './notification-settings.controller';
import { NotificationSettingsService } from './notification-settings.service';
import { UserPreferencesController } from './user-preferences.controller';
import { UserPreferencesService } from './user-preferences.service';

/** PHX admin REST (SPEC §4): settings per action code, preferences, devices, delivery log. */
@Module({
  imports: [PhxPersistenceModule],
  controllers: [
    NotificationSettingsController,
    UserPreferencesController,
    UserDevicesController,
    MyDevicesController,
    DeliveryLogController,
  ],
  providers: [
    NotificationSettingsService,
    UserPreferencesService,
    DevicesService,
    DeliveryLogService,
  ],
})
export class PhxAdminModule {}
