import { CustomStrategy } from '@nestjs/microservices';
import { SignalConfig } from '../config/signal-config';
import { SignalMetrics } from '../metrics/signal-metrics';
import { consumedTopics } from './consumed-topics';
import { KafkaBatchServer } from './kafka-batch.server';
import { KafkaClients } from './kafka-clients';

/** The Kafka consumer transport: batches per partition, seed 000 ids, dead letters per topic. */
export function kafkaTransportOptions(
  config: Pick<SignalConfig, 'kafka' | 'phx'>,
  metrics: SignalMetrics,
  clients: KafkaClients,
): CustomStrategy {
  const { kafka } = config;
  return {
    strategy: new KafkaBatchServer({
      clients,
      groupId: kafka.groupId,
      fromBeginning: kafka.fromBeginning,
      maxAttempts: kafka.maxAttempts,
      retryInitialMs: kafka.retryInitialMs,
      retryMaxMs: kafka.retryMaxMs,
      partitionsConsumedConcurrently: kafka.partitionsConcurrency,
      sessionTimeoutMs: kafka.sessionTimeoutMs,
      metrics,
      topicOf: Object.fromEntries(
        consumedTopics(config).map(({ pattern, topic }) => [pattern, topic]),
      ),
    }),
  };
}
