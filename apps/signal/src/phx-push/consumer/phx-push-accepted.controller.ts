import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { KafkaTopics } from '@signal/core';
import { KafkaBatchOutcome, KafkaInboundBatch } from '../../kafka';
import { PhxDeliveryHandler } from './phx-delivery.handler';

/** The Kafka edge of the PHX Consumer: batches of accepted requests handed off by the Producer. */
@Controller()
export class PhxPushAcceptedController {
  constructor(private readonly handler: PhxDeliveryHandler) {}

  @EventPattern(KafkaTopics.SIGNAL_PHX_PUSH_ACCEPTED)
  handle(@Payload() batch: KafkaInboundBatch): Promise<KafkaBatchOutcome> {
    return this.handler.handleAccepted(batch);
  }
}
