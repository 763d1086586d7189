import { Module } from '@nestjs/common';
import { PhxPersistenceModule } from '@signal/persistence';
import { PhxHandOffPublisher } from './phx-hand-off.publisher';
import { PhxOutboxRelay } from './phx-outbox.relay';
import { PhxProducerController } from './phx-producer.controller';
import { PhxProducerService } from './phx-producer.service';

/** PHX Producer (SPEC §4): `POST /emit/inapp-noti` → stored decision → Kafka hand-off to the Consumer. */
@Module({
  imports: [PhxPersistenceModule],
  controllers: [PhxProducerController],
  providers: [PhxProducerService, PhxHandOffPublisher, PhxOutboxRelay],
})
export class PhxProducerModule {}
