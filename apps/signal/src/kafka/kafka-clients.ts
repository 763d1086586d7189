import { Kafka, KafkaConfig, logLevel } from 'kafkajs';
import {
  BatchConsumer,
  BatchConsumerOptions,
  KafkaClientName,
  MessageProducer,
  MessageProducerOptions,
} from './kafka-client';
import { KafkajsBatchConsumer, KafkajsMessageProducer } from './kafkajs-client';
import { nestLogCreator } from './kafkajs-logger';
import { PlatformaticBatchConsumer, PlatformaticMessageProducer } from './platformatic-client';

/** Where Signal's clients reach Kafka, and with which client library. */
export interface KafkaConnection {
  /** Consumes and produces (`KAFKA_CLIENT`); admin work is kafkajs's either way. */
  client: KafkaClientName;
  brokers: string[];
  /** Used exactly (no "-server" suffix) by the consumer; other clients append their role. */
  clientId: string;
}

type ClientRole = {
  /** Appended to the connection's client id, e.g. `-health`. Default: none. */
  clientIdSuffix?: string;
};

/**
 * The one place Signal's Kafka clients are built: the batch consumer and the producers on the
 * client `KAFKA_CLIENT` names, kafkajs for admin work (topic creation, health, dead-letter replay).
 */
export class KafkaClients {
  constructor(private readonly connection: KafkaConnection) {}

  batchConsumer(options: Omit<BatchConsumerOptions, 'brokers' | 'clientId'>): BatchConsumer {
    const { client, brokers, clientId } = this.connection;
    const settings = { ...options, brokers, clientId };
    return client === 'platformatic'
      ? new PlatformaticBatchConsumer(settings)
      : new KafkajsBatchConsumer(settings);
  }

  producer({
    clientIdSuffix = '',
    ...options
  }: ClientRole & Omit<MessageProducerOptions, 'brokers' | 'clientId'> = {}): MessageProducer {
    const { client, brokers, clientId } = this.connection;
    const settings = { ...options, brokers, clientId: `${clientId}${clientIdSuffix}` };
    return client === 'platformatic'
      ? new PlatformaticMessageProducer(settings)
      : new KafkajsMessageProducer(settings);
  }

  /**
   * A kafkajs client for admin work. Its warnings and errors go to Nest's logger unless `config`
   * says otherwise.
   */
  kafkajs({
    clientIdSuffix = '',
    ...config
  }: ClientRole & Omit<KafkaConfig, 'brokers' | 'clientId'> = {}): Kafka {
    const { brokers, clientId } = this.connection;
    return new Kafka({
      clientId: `${clientId}${clientIdSuffix}`,
      brokers,
      logLevel: logLevel.WARN,
      logCreator: nestLogCreator('kafkajs'),
      ...config,
    });
  }
}
