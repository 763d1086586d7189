import { Module } from '@nestjs/common';
import { ActivityPersistenceModule } from '@signal/persistence';
import { SignalGatewayModule } from '../signal-gateway/signal-gateway.module';
import { ActivityNotificationController } from './activity-notification.controller';
import { ActivityNotificationHandler } from './activity-notification.handler';
import { ActivityTemplateRegistry } from './templates/activity-template.registry';

/** Kafka → PostgreSQL → Socket.IO for activity notifications (SPEC §2). */
@Module({
  imports: [ActivityPersistenceModule, SignalGatewayModule],
  controllers: [ActivityNotificationController],
  providers: [ActivityTemplateRegistry, ActivityNotificationHandler],
})
export class KafkaNotificationModule {}
