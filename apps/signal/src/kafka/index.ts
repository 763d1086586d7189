// The Kafka module's public surface: features and the CLI import from here only (an ESLint rule
// keeps the rest of this folder private).
export { KafkaModule } from './kafka.module';
export { KafkaClients } from './kafka-clients';
export type { KafkaConnection } from './kafka-clients';
export { KAFKA_CLIENTS } from './kafka-client';
export type { KafkaClientName, MessageProducer, OutboundMessage } from './kafka-client';
export type {
  KafkaBatchOutcome,
  KafkaInboundBatch,
  KafkaInboundMessage,
  KafkaRejectedMessage,
} from './kafka-batch.types';
export { jsonObjectOf, rejection } from './kafka-message-value';
export { ensureKafkaTopics } from './ensure-kafka-topics';
export { kafkaTransportOptions } from './kafka-transport.options';
export { TransportDrainService } from './transport-drain.service';
export { consumedTopics } from './consumed-topics';
export type { ConsumedTopic } from './consumed-topics';
export { replayDeadLetters } from './dead-letter-replay';
export type { DeadLetterReplayOptions, DeadLetterReplayReport } from './dead-letter-replay';
