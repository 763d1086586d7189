import { CustomStrategy } from '@nestjs/microservices';
import { KafkaTopics } from '@signal/core';
import { KafkaBatchServer } from './kafka-batch.server';
import { SignalMetrics } from '../metrics/signal-metrics';
import { SignalConfig } from '../config/signal-config';

/** The Kafka consumer transport: batches per partition, seed 000 ids, `<topic>.dlq` dead letters. */
export function kafkaTransportOptions(
  { kafka, phx }: Pick<SignalConfig, 'kafka' | 'phx'>,
  metrics: SignalMetrics,
): CustomStrategy {
  return {
    strategy: new KafkaBatchServer({
      client: kafka.client,
      brokers: kafka.brokers,
      clientId: kafka.clientId,
      groupId: kafka.groupId,
      fromBeginning: kafka.fromBeginning,
      maxAttempts: kafka.maxAttempts,
      retryInitialMs: kafka.retryInitialMs,
      retryMaxMs: kafka.retryMaxMs,
      partitionsConsumedConcurrently: kafka.partitionsConcurrency,
      sessionTimeoutMs: kafka.sessionTimeoutMs,
      deadLetterTopicOf: (topic) => `${topic}.dlq`,
      metrics,
      topicOf: {
        [KafkaTopics.SIGNAL_ACTIVITY_NOTIFICATION]: kafka.activityTopic,
        [KafkaTopics.SIGNAL_PHX_PUSH_ACCEPTED]: phx.topic,
      },
    }),
  };
}
