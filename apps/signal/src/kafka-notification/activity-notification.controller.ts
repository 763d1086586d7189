import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { KafkaTopics } from '@signal/core';
import { KafkaBatchOutcome, KafkaInboundBatch } from '../kafka';
import { ActivityNotificationHandler } from './activity-notification.handler';

/** The Kafka edge: one partition batch in, one outcome out. */
@Controller()
export class ActivityNotificationController {
  constructor(private readonly handler: ActivityNotificationHandler) {}

  @EventPattern(KafkaTopics.SIGNAL_ACTIVITY_NOTIFICATION)
  handle(@Payload() batch: KafkaInboundBatch): Promise<KafkaBatchOutcome> {
    return this.handler.handle(batch);
  }
}
