import { Module } from '@nestjs/common';
import { PhxPushConfigurableModule, PHX_PUSH_MODULE_OPTIONS } from './phx-push.module-definition';
import { PHXPushNotificationService } from './phx-push-notification.service';

/**
 * Provides {@link PHXPushNotificationService}. Configure it once with
 * `PhxPushModule.forRoot({ producerUrl, ... })` or `PhxPushModule.forRootAsync({ useFactory, inject })`;
 * pass `isGlobal: true` to make it visible to every module.
 */
@Module({
  providers: [PHXPushNotificationService],
  // The options go along so that importers can read them with InjectPhxPushOptions().
  exports: [PHXPushNotificationService, PHX_PUSH_MODULE_OPTIONS],
})
export class PhxPushModule extends PhxPushConfigurableModule {}
