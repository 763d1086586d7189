import {
  DynamicModule,
  Global,
  InjectionToken,
  Module,
  OptionalFactoryDependency,
} from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ActivityNotificationRepository } from './activity-notification/activity-notification.repository';
import { buildDataSourceOptions, PersistenceOptions } from './data-source-options';
import { PhxDeliveryRepository } from './phx-push/phx-delivery.repository';
import { PhxNotificationRecordRepository } from './phx-push/phx-notification-record.repository';
import { LegacyEventRepository } from './legacy-rabbit/legacy-event.repository';
import { LegacyRoleDirectoryRepository } from './legacy-rabbit/legacy-role-directory.repository';
import { PhxNotificationSettingRepository } from './phx-push/phx-notification-setting.repository';
import { PhxNotificationPreferenceRepository } from './phx-push/phx-notification-preference.repository';
import { PhxDeviceTokenRepository } from './phx-push/phx-device-token.repository';
import { PhxPushRequestRepository } from './phx-push/phx-push-request.repository';

export interface PersistenceModuleAsyncOptions {
  inject?: (InjectionToken | OptionalFactoryDependency)[];
  /** Receives the `inject` providers in order. */
  useFactory: (...args: never[]) => PersistenceOptions | Promise<PersistenceOptions>;
}

const repositories = [
  ActivityNotificationRepository,
  PhxDeliveryRepository,
  PhxNotificationRecordRepository,
  PhxNotificationSettingRepository,
  PhxNotificationPreferenceRepository,
  PhxDeviceTokenRepository,
  PhxPushRequestRepository,
  LegacyRoleDirectoryRepository,
  LegacyEventRepository,
];

/** The one TypeORM connection of the app and the repositories that own every query. */
@Global()
@Module({})
export class PersistenceModule {
  static forRootAsync(options: PersistenceModuleAsyncOptions): DynamicModule {
    return {
      module: PersistenceModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: options.inject,
          useFactory: async (...args: unknown[]) => ({
            ...buildDataSourceOptions(await options.useFactory(...(args as never[]))),
            // A short grace at boot, not Nest's default of 9 retries 3 s apart.
            retryAttempts: 3,
            retryDelay: 1000,
          }),
        }),
      ],
      providers: repositories,
      exports: repositories,
    };
  }
}
