import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { KafkaTopics } from '@signal/core';
import { KafkaBatchOutcome, KafkaInboundBatch } from './transport/kafka-batch.types';
import { ActivityNotificationWorkerService } from './worker/activity-notification.worker';

/** The Kafka edge: one partition batch in, one outcome out. */
@Controller()
export class ActivityNotificationConsumer {
  constructor(private readonly worker: ActivityNotificationWorkerService) {}

  @EventPattern(KafkaTopics.SIGNAL_ACTIVITY_NOTIFICATION)
  handle(@Payload() batch: KafkaInboundBatch): Promise<KafkaBatchOutcome> {
    return this.worker.handleActivityNotification(batch);
  }
}
