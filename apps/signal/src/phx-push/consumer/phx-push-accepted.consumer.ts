import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { KafkaTopics } from '@signal/core';
import {
  KafkaBatchOutcome,
  KafkaInboundBatch,
} from '../../kafka-notification/transport/kafka-batch.types';
import { PhxDeliveryWorkerService } from './phx-delivery.worker';

/** The Kafka edge of the PHX Consumer: batches of accepted requests handed off by the Producer. */
@Controller()
export class PhxPushAcceptedConsumer {
  constructor(private readonly worker: PhxDeliveryWorkerService) {}

  @EventPattern(KafkaTopics.SIGNAL_PHX_PUSH_ACCEPTED)
  handle(@Payload() batch: KafkaInboundBatch): Promise<KafkaBatchOutcome> {
    return this.worker.handleAccepted(batch);
  }
}
