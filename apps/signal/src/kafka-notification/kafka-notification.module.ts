import { Module } from '@nestjs/common';
import { ActivityPersistenceModule } from '@signal/persistence';
import { SignalGatewayModule } from '../signal-gateway/signal-gateway.module';
import { ActivityNotificationConsumer } from './activity-notification.consumer';
import { ActivityTemplateRegistry } from './templates/activity-template.registry';
import { ActivityNotificationWorkerService } from './worker/activity-notification.worker';

/** Kafka → PostgreSQL → Socket.IO for activity notifications (SPEC §2). */
@Module({
  imports: [ActivityPersistenceModule, SignalGatewayModule],
  controllers: [ActivityNotificationConsumer],
  providers: [ActivityTemplateRegistry, ActivityNotificationWorkerService],
})
export class KafkaNotificationModule {}
