import {
  BatchConsumer,
  BatchConsumerOptions,
  KafkaClientName,
  MessageProducer,
  MessageProducerOptions,
} from './kafka-client';
import { KafkajsBatchConsumer, KafkajsMessageProducer } from './kafkajs-client';
import { PlatformaticBatchConsumer, PlatformaticMessageProducer } from './platformatic-client';

export function createBatchConsumer(
  client: KafkaClientName,
  options: BatchConsumerOptions,
): BatchConsumer {
  return client === 'platformatic'
    ? new PlatformaticBatchConsumer(options)
    : new KafkajsBatchConsumer(options);
}

export function createMessageProducer(
  client: KafkaClientName,
  options: MessageProducerOptions,
): MessageProducer {
  return client === 'platformatic'
    ? new PlatformaticMessageProducer(options)
    : new KafkajsMessageProducer(options);
}
