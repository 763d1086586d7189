import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PhxDeliveryRepository } from './phx-delivery.repository';
import { PhxDeviceTokenEntity } from './phx-device-token.entity';
import { PhxDeviceTokenRepository } from './phx-device-token.repository';
import { PhxNotificationPreferenceEntity } from './phx-notification-preference.entity';
import { PhxNotificationPreferenceRepository } from './phx-notification-preference.repository';
import { PhxNotificationRecordRepository } from './phx-notification-record.repository';
import { PhxNotificationSettingEntity } from './phx-notification-setting.entity';
import { PhxNotificationSettingRepository } from './phx-notification-setting.repository';
import { PhxPushRequestRepository } from './phx-push-request.repository';

const repositories = [
  PhxNotificationSettingRepository,
  PhxNotificationPreferenceRepository,
  PhxDeviceTokenRepository,
  PhxPushRequestRepository,
  PhxDeliveryRepository,
  PhxNotificationRecordRepository,
];

/**
 * The PHX pipeline's tables: the Producer's settings, preferences and requests, the Consumer's
 * deliveries, device tokens and Notification Records. Entity repositories serve the admin CRUD;
 * the batch statements of the Producer and Consumer are raw SQL on the global `DataSource`.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      PhxNotificationSettingEntity,
      PhxNotificationPreferenceEntity,
      PhxDeviceTokenEntity,
    ]),
  ],
  providers: repositories,
  exports: repositories,
})
export class PhxPersistenceModule {}
