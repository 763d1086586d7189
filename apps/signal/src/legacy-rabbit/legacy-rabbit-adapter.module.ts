import { Module } from '@nestjs/common';
import { LegacyPersistenceModule } from '@signal/persistence';
import { PhxPushModule } from 'phx-node';
import { SignalConfig } from '../config/signal-config';
import { LegacyEventService } from './legacy-event.service';
import { LegacyRabbitAdapter } from './legacy-rabbit.adapter';
import { LegacyProcessedEventsPruner } from './legacy-processed-events.pruner';
import { LegacyRabbitBroker } from './legacy-rabbit.broker';
import { LegacySchedulePoller } from './legacy-schedule.poller';
import { RoleDirectoryController } from './role-directory.controller';

/**
 * Legacy V1 events (seed 003) from RabbitMQ into the PHX pipeline: each (event, target user)
 * becomes a `PHXPushNotificationService.send` to the Producer. See {@link LegacyRabbitBroker}
 * for the queues, {@link LegacyEventService} for the rules, `toPhxPayload` for the mapping.
 * Consumption follows RABBITMQ_ENABLED; the role directory's admin REST is always served.
 *
 * Decisions the seed leaves open:
 * - `eventId` is optional, as in the seed's minimum envelope: without it an event is known by
 *   the SHA-256 of its canonical body, so the same body, however re-serialized, goes out once
 *   (within LEGACY_PROCESSED_RETENTION_DAYS); unknown envelope fields pass.
 * - The envelope's `correlationId` (else the AMQP property, else a new id) is the correlation
 *   id of everything the event causes: log lines, Producer requests, deliveries, dead letters.
 * - The PHX `hostname` is the event's `sourceService`; `pushNotiMobile.app` is LEGACY_PUSH_APP
 *   (the app the V1 mobile app registers its devices under), `module_code` the upper-cased service.
 * - Users named in `targetUsers` get the TO_ME tab, users reached only through a role SYSTEM.
 * - Roles are resolved when the event is delivered, so a scheduled event reaches the members of
 *   its due time. An action code the Producer does not deliver (`not_delivered`) is logged and
 *   the event counts as processed: enabling it later does not replay old events.
 */
@Module({
  imports: [
    LegacyPersistenceModule,
    PhxPushModule.forRootAsync({
      inject: [SignalConfig],
      useFactory: ({ legacy }: SignalConfig) => ({
        producerUrl: legacy.producerUrl,
        apiKey: legacy.apiKey,
      }),
    }),
  ],
  controllers: [RoleDirectoryController],
  providers: [
    LegacyRabbitBroker,
    LegacyEventService,
    LegacySchedulePoller,
    LegacyProcessedEventsPruner,
    LegacyRabbitAdapter,
  ],
})
export class LegacyRabbitAdapterModule {}
