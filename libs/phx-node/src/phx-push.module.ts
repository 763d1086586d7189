import { Module } from '@nestjs/common';
import { PhxPushConfigurableModule } from './phx-push.module-definition';
import { PHXPushNotificationService } from './phx-push-notification.service';

/**
 * Provides {@link PHXPushNotificationService}. Configure it once with
 * `PhxPushModule.forRoot({ producerUrl, ... })` or `PhxPushModule.forRootAsync({ useFactory, inject })`;
 * pass `isGlobal: true` to make it visible to every module.
 */
@Module({
  providers: [PHXPushNotificationService],
  exports: [PHXPushNotificationService],
})
export class PhxPushModule extends PhxPushConfigurableModule {}
