import {
  Consumer,
  Kafka,
  KafkaMessage,
  logLevel,
  Partitioners,
  Producer,
  RetryOptions,
} from 'kafkajs';
import { headersToStrings } from './kafka-headers';
import {
  BatchConsumer,
  BatchConsumerOptions,
  BatchConsumerRun,
  FetchedMessage,
  MessageProducer,
  MessageProducerOptions,
  OutboundMessage,
} from './kafka-client';
import { nestLogCreator } from './kafkajs-logger';

// Bounded retries warn at every start that they weaken exactly-once; Signal's consumers dedupe.
const BOUNDED_RETRY_WARNING = 'Limiting retries for the idempotent producer';

export class KafkajsBatchConsumer implements BatchConsumer {
  private readonly consumer: Consumer;
  private topics: string[] = [];

  constructor(private readonly options: BatchConsumerOptions) {
    this.consumer = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      logLevel: logLevel.WARN,
      logCreator: nestLogCreator('kafkajs'),
    }).consumer({
      groupId: options.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: options.sessionTimeoutMs,
      // kafkajs's default, or less: several heartbeats must fit in a short session.
      heartbeatInterval: Math.min(3000, Math.floor(options.sessionTimeoutMs / 3)),
    });
  }

  async run({ topics, fromBeginning, eachBatch, onGroupJoin }: BatchConsumerRun): Promise<void> {
    this.topics = topics;
    this.consumer.on(this.consumer.events.GROUP_JOIN, onGroupJoin);
    await this.consumer.connect();
    if (topics.length > 0) await this.consumer.subscribe({ topics, fromBeginning });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConcurrency,
      eachBatch: (payload) => {
        const { topic, partition, highWatermark, messages } = payload.batch;
        return eachBatch({
          topic,
          partition,
          messages: messages.map(fetched),
          highWatermark: () => BigInt(highWatermark),
          heartbeat: () => payload.heartbeat(),
          isRunning: () => payload.isRunning(),
          isStale: () => payload.isStale(),
          commit: async (next) => {
            payload.resolveOffset((next - 1n).toString());
            await this.consumer.commitOffsets([{ topic, partition, offset: next.toString() }]);
          },
        });
      },
    });
  }

  pause(): void {
    this.consumer.pause(this.topics.map((topic) => ({ topic })));
  }

  close(): Promise<void> {
    return this.consumer.disconnect();
  }
}

function fetched(message: KafkaMessage): FetchedMessage {
  return {
    offset: message.offset,
    key: message.key,
    value: message.value,
    headers: headersToStrings(message.headers),
    timestamp: message.timestamp,
  };
}

export class KafkajsMessageProducer implements MessageProducer {
  private readonly producer: Producer;

  constructor({ brokers, clientId, idempotent, retries }: MessageProducerOptions) {
    const retry: RetryOptions | undefined =
      retries === undefined ? undefined : { retries, initialRetryTime: 100, maxRetryTime: 1000 };
    const log = nestLogCreator('kafkajs')();
    this.producer = new Kafka({
      clientId,
      brokers,
      retry,
      logLevel: logLevel.WARN,
      logCreator: () => (entry) => {
        if (!entry.log.message.startsWith(BOUNDED_RETRY_WARNING)) log(entry);
      },
    }).producer({
      idempotent,
      retry,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  async send(topic: string, messages: OutboundMessage[]): Promise<void> {
    await this.producer.send({ topic, acks: -1, messages });
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }
}
