import { Logger } from '@nestjs/common';
import { CustomTransportStrategy, MessageHandler, Server } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { errorMessage } from '../common/error-message';
import { SignalMetrics } from '../metrics/signal-metrics';
import { BatchRetryPolicy, BatchRetrySettings, outcomeOf } from './batch-retry.policy';
import { DeadLetterPublisher, deadLetterTopicOf } from './dead-letter.publisher';
import { ensureKafkaTopics } from './ensure-kafka-topics';
import { InFlightBatches } from './in-flight-batches';
import { KafkaBatchMetrics } from './kafka-batch.metrics';
import { KafkaBatchOutcome, KafkaInboundBatch, KafkaRejectedMessage } from './kafka-batch.types';
import { BatchConsumer, FetchedBatch, FetchedMessage, MessageProducer } from './kafka-client';
import { KafkaClients } from './kafka-clients';

export interface KafkaBatchServerOptions extends BatchRetrySettings {
  /** Builds the consumer, the dead-letter producer and the admin client that creates topics. */
  clients: KafkaClients;
  groupId: string;
  /** Where a new group starts: false = the latest offset. */
  fromBeginning: boolean;
  partitionsConsumedConcurrently: number;
  /** How long the group waits for a silent member before reassigning its partitions. */
  sessionTimeoutMs: number;
  /** Where lag, batch sizes and durations, and dead letters are counted. */
  metrics: SignalMetrics;
  /** Topic to read for a handler's pattern, when not the pattern itself (per-environment names). */
  topicOf?: Record<string, string>;
}

class BatchAbandoned extends Error {}

/**
 * Kafka consumer transport that hands handlers a whole partition batch (Nest's built-in one has
 * no batch mode). It owns the Kafka side of reliability: no auto-commit, commit `last + 1` only
 * after the handler says the effects are durable, dead-letter what can never succeed, retry the
 * rest with backoff while heartbeating (`BatchRetryPolicy` decides which), and never skip a
 * message.
 */
export class KafkaBatchServer extends Server implements CustomTransportStrategy {
  protected override readonly logger = new Logger(KafkaBatchServer.name);
  private consumer: BatchConsumer | null = null;
  private producer: MessageProducer | null = null;
  private deadLetters: DeadLetterPublisher | null = null;
  /** Subscribed topic → handler pattern. */
  private readonly patternOfTopic = new Map<string, string>();
  private readonly inFlight = new InFlightBatches();
  private readonly policy: BatchRetryPolicy;
  private readonly metrics: KafkaBatchMetrics;

  constructor(private readonly options: KafkaBatchServerOptions) {
    super();
    this.policy = new BatchRetryPolicy(options);
    this.metrics = new KafkaBatchMetrics(options.metrics);
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      await this.start();
      callback();
    } catch (error) {
      callback(error);
    }
  }

  /**
   * Drains before leaving: stops fetching, lets the batches in flight finish and commit, then
   * disconnects. Draining comes first because kafkajs silently drops commits once its consumer
   * is stopping.
   */
  async close(): Promise<void> {
    if (!this.consumer || this.inFlight.isDraining) return;
    this.consumer.pause();
    await this.inFlight.drain();
    await this.consumer.close();
    await this.producer?.disconnect();
    this.consumer = null;
    this.producer = null;
  }

  on(): never {
    throw new Error('KafkaBatchServer has no events to subscribe to');
  }

  unwrap<T>(): T {
    if (!this.consumer || !this.producer) throw new Error('KafkaBatchServer is not listening');
    return [this.consumer, this.producer] as T;
  }

  private async start(): Promise<void> {
    const { clients } = this.options;
    this.producer = clients.producer();
    this.deadLetters = new DeadLetterPublisher(this.producer, this.metrics);
    this.consumer = clients.batchConsumer({
      groupId: this.options.groupId,
      sessionTimeoutMs: this.options.sessionTimeoutMs,
      partitionsConcurrency: this.options.partitionsConsumedConcurrently,
    });
    await this.producer.connect();
    for (const pattern of this.messageHandlers.keys()) {
      this.patternOfTopic.set(this.options.topicOf?.[pattern] ?? pattern, pattern);
    }
    const topics = [...this.patternOfTopic.keys()];
    const withDeadLetterTopics = [...topics, ...topics.map(deadLetterTopicOf)];
    await ensureKafkaTopics(clients.kafkajs(), withDeadLetterTopics, this.logger);
    await this.consumer.run({
      topics,
      fromBeginning: this.options.fromBeginning,
      eachBatch: (batch) => this.consumeBatch(batch),
      onGroupJoin: () => this.metrics.groupJoined(),
    });
  }

  private async consumeBatch(batch: FetchedBatch): Promise<void> {
    const handler = this.getHandlerByPattern(this.patternOfTopic.get(batch.topic) ?? batch.topic);
    if (!handler || batch.messages.length === 0) return;
    await this.inFlight.run(async () => {
      const stopTimer = this.metrics.batchArrived(batch);
      try {
        await this.process(handler, batch, batch.messages);
        stopTimer();
      } catch (error) {
        if (!(error instanceof BatchAbandoned)) throw error;
        // Rebalance or shutdown: leave the rest uncommitted for the next owner of the partition.
        this.logger.warn(`${batch.topic}[${batch.partition}]: batch abandoned (${error.message})`);
      }
    });
  }

  /** Processes `messages` (consecutive, one partition) until they are committed. */
  private async process(
    handler: MessageHandler,
    batch: FetchedBatch,
    messages: FetchedMessage[],
  ): Promise<void> {
    const offsets = messages.map((message) => message.offset);
    for (let attempt = 1; ; attempt++) {
      this.ensureActive(batch);
      const outcome = await this.invoke(handler, toInbound(batch, messages));
      const step = this.policy.next(outcome, attempt, offsets);
      const where = `${batch.topic}[${batch.partition}]@${offsets[0]}+${messages.length}`;
      if (step.kind === 'isolate') {
        this.logger.warn(`${where}: failing after ${attempt} attempts; isolating the culprit`);
        for (const message of messages) await this.process(handler, batch, [message]);
        return;
      }
      if (step.kind === 'settle') {
        if (await this.settle(batch, messages, step.rejected, attempt)) return;
      } else {
        this.logger.warn(`${where}: attempt ${attempt} failed (${step.reason}); retrying`);
      }
      await this.backoff(batch, attempt);
    }
  }

  /**
   * Dead-letters the rejected messages, then commits the batch. False when Kafka refused either:
   * the caller retries the whole batch, which the handler's idempotent writes make harmless.
   */
  private async settle(
    batch: FetchedBatch,
    messages: FetchedMessage[],
    rejected: KafkaRejectedMessage[],
    attempts: number,
  ): Promise<boolean> {
    const { topic, partition } = batch;
    try {
      await this.deadLetters!.publish({ topic, partition, messages }, rejected, attempts);
      await this.commit(batch, messages[messages.length - 1].offset);
      return true;
    } catch (error) {
      if (error instanceof BatchAbandoned) throw error;
      this.logger.warn(`${topic}[${partition}]: settle failed (${errorMessage(error)})`);
      return false;
    }
  }

  private async invoke(
    handler: MessageHandler,
    batch: KafkaInboundBatch,
  ): Promise<KafkaBatchOutcome> {
    try {
      const returned: unknown = await handler(batch);
      return outcomeOf({
        returned: await lastValueFrom(this.transformToObservable(returned), {
          defaultValue: undefined,
        }),
      });
    } catch (thrown) {
      return outcomeOf({ thrown });
    }
  }

  /** Commits the next offset to read: `last + 1`. Also while draining: that is the drain. */
  private async commit(batch: FetchedBatch, lastOffset: string): Promise<void> {
    if (batch.isStale()) throw new BatchAbandoned('partition reassigned');
    const next = BigInt(lastOffset) + 1n;
    await batch.commit(next);
    this.metrics.committed(batch, next);
  }

  /** The policy's wait, in slices, heartbeating so the group keeps this member. */
  private async backoff(batch: FetchedBatch, attempt: number): Promise<void> {
    let remaining = this.policy.delayMs(attempt);
    while (remaining > 0) {
      const slice = Math.min(remaining, 1000);
      await new Promise((resolve) => setTimeout(resolve, slice));
      remaining -= slice;
      this.ensureActive(batch);
      try {
        await batch.heartbeat();
      } catch (error) {
        throw new BatchAbandoned(`heartbeat failed: ${errorMessage(error)}`);
      }
    }
  }

  /** Before new work or another wait: not once draining, stopping or the partition is lost. */
  private ensureActive(batch: FetchedBatch): void {
    if (this.inFlight.isDraining) throw new BatchAbandoned('shutting down');
    if (!batch.isRunning()) throw new BatchAbandoned('consumer stopping');
    if (batch.isStale()) throw new BatchAbandoned('partition reassigned');
  }
}

function toInbound(batch: FetchedBatch, messages: FetchedMessage[]): KafkaInboundBatch {
  return {
    topic: batch.topic,
    partition: batch.partition,
    messages: messages.map((message) => ({
      offset: message.offset,
      key: message.key?.toString() ?? null,
      value: message.value,
      headers: message.headers,
      timestamp: message.timestamp,
    })),
  };
}
