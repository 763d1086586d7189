import { Module } from '@nestjs/common';
import { PhxPushModule } from 'phx-node';
import { SignalConfig } from '../config/signal-config';
import { LegacyEventService } from './legacy-event.service';
import { LegacyRabbitAdapter } from './legacy-rabbit.adapter';
import { LegacyRabbitBroker } from './legacy-rabbit.broker';
import { LegacySchedulePoller } from './legacy-schedule.poller';
import { RoleDirectoryController } from './role-directory.controller';

/**
 * Legacy V1 events (seed 003) from RabbitMQ into the PHX pipeline: each (event, target user)
 * becomes a `PHXPushNotificationService.send` to the Producer. See {@link LegacyRabbitBroker}
 * for the queues, {@link LegacyEventService} for the rules. Consumption follows
 * RABBITMQ_ENABLED; the role directory's admin REST is always served.
 */
@Module({
  imports: [
    PhxPushModule.forRootAsync({
      inject: [SignalConfig],
      useFactory: ({ legacy }: SignalConfig) => ({
        producerUrl: legacy.producerUrl,
        apiKey: legacy.apiKey,
      }),
    }),
  ],
  controllers: [RoleDirectoryController],
  providers: [LegacyRabbitBroker, LegacyEventService, LegacySchedulePoller, LegacyRabbitAdapter],
  exports: [LegacyRabbitBroker],
})
export class LegacyRabbitAdapterModule {}
