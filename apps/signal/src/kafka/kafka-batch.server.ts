import { Logger } from '@nestjs/common';
import { CustomTransportStrategy, MessageHandler, Server } from '@nestjs/microservices';
import { CORRELATION_ID_HEADER, DeadLetterHeaders } from '@signal/core';
import { Kafka, logLevel } from 'kafkajs';
import { lastValueFrom } from 'rxjs';
import { CorrelationContext, validCorrelationId } from '../logging/correlation-context';
import { SignalMetrics } from '../metrics/signal-metrics';
import { ensureKafkaTopics } from './ensure-kafka-topics';
import {
  BatchConsumer,
  FetchedBatch,
  FetchedMessage,
  KafkaClientName,
  MessageProducer,
} from './kafka-client';
import { createBatchConsumer, createMessageProducer } from './kafka-clients';
import { nestLogCreator } from './kafkajs-logger';
import {
  KafkaBatchOutcome,
  KafkaInboundBatch,
  KafkaInboundMessage,
  KafkaRejectedMessage,
} from './kafka-batch.types';
import { errorMessage } from '../common/error-message';
import { truncateText } from '../common/text-excerpt';
import { backoffMs } from '../common/backoff';

// Share of a retry wait taken off at random: instances an outage failed together spread out.
const BACKOFF_JITTER = 0.2;
// Characters of a dead-letter reason kept in its header and log line.
const DEAD_LETTER_REASON_MAX = 2000;

export interface KafkaBatchServerOptions {
  /** Which client consumes and produces; topics are created with kafkajs's admin either way. */
  client: KafkaClientName;
  brokers: string[];
  /** Used exactly: no "-server" suffix. */
  clientId: string;
  groupId: string;
  /** Where a new group starts: false = the latest offset. */
  fromBeginning: boolean;
  /** Non-transient failures of one message before it is dead-lettered. */
  maxAttempts: number;
  retryInitialMs: number;
  retryMaxMs: number;
  partitionsConsumedConcurrently: number;
  /** How long the group waits for a silent member before reassigning its partitions. */
  sessionTimeoutMs: number;
  deadLetterTopicOf: (topic: string) => string;
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
 * rest with backoff while heartbeating, and never skip a message.
 */
export class KafkaBatchServer extends Server implements CustomTransportStrategy {
  protected override readonly logger = new Logger(KafkaBatchServer.name);
  private consumer: BatchConsumer | null = null;
  private producer: MessageProducer | null = null;
  /** Subscribed topic → handler pattern. */
  private readonly patternOfTopic = new Map<string, string>();
  private draining = false;
  private inFlight = 0;
  private readonly idleWaiters: (() => void)[] = [];

  constructor(private readonly options: KafkaBatchServerOptions) {
    super();
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
    if (!this.consumer || this.draining) return;
    this.draining = true;
    this.consumer.pause();
    await this.idle();
    await this.consumer.close();
    await this.producer?.disconnect();
    this.consumer = null;
    this.producer = null;
  }

  private idle(): Promise<void> {
    return this.inFlight === 0
      ? Promise.resolve()
      : new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  on(): never {
    throw new Error('KafkaBatchServer has no events to subscribe to');
  }

  unwrap<T>(): T {
    if (!this.consumer || !this.producer) throw new Error('KafkaBatchServer is not listening');
    return [this.consumer, this.producer] as T;
  }

  private async start(): Promise<void> {
    const { client, brokers, clientId } = this.options;
    this.producer = createMessageProducer(client, { brokers, clientId });
    this.consumer = createBatchConsumer(client, {
      brokers,
      clientId,
      groupId: this.options.groupId,
      sessionTimeoutMs: this.options.sessionTimeoutMs,
      partitionsConcurrency: this.options.partitionsConsumedConcurrently,
    });
    await this.producer.connect();
    for (const pattern of this.messageHandlers.keys()) {
      this.patternOfTopic.set(this.options.topicOf?.[pattern] ?? pattern, pattern);
    }
    const topics = [...this.patternOfTopic.keys()];
    // With their dead-letter topics.
    await ensureKafkaTopics(
      new Kafka({
        clientId,
        brokers,
        logLevel: logLevel.WARN,
        logCreator: nestLogCreator('kafkajs'),
      }),
      [...topics, ...topics.map(this.options.deadLetterTopicOf)],
      this.logger,
    );
    await this.consumer.run({
      topics,
      fromBeginning: this.options.fromBeginning,
      eachBatch: (batch) => this.consumeBatch(batch),
      // After a rebalance, partitions another member took over must stop showing this member's lag.
      onGroupJoin: () => this.options.metrics.kafkaConsumerLag.reset(),
    });
  }

  private async consumeBatch(batch: FetchedBatch): Promise<void> {
    const handler = this.getHandlerByPattern(this.patternOfTopic.get(batch.topic) ?? batch.topic);
    if (!handler || batch.messages.length === 0 || this.draining) return;
    this.inFlight++;
    const { metrics } = this.options;
    metrics.kafkaBatchSize.observe({ topic: batch.topic }, batch.messages.length);
    this.reportLag(batch, BigInt(batch.messages[0].offset));
    const stopTimer = metrics.kafkaBatchDuration.startTimer({ topic: batch.topic });
    try {
      await this.process(handler, batch, batch.messages);
      stopTimer();
    } catch (error) {
      if (!(error instanceof BatchAbandoned)) throw error;
      // Rebalance or shutdown: leave the rest uncommitted for the next owner of the partition.
      this.logger.warn(`${batch.topic}[${batch.partition}]: batch abandoned (${error.message})`);
    } finally {
      if (--this.inFlight === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve());
    }
  }

  /** Processes `messages` (consecutive, one partition) until they are committed. */
  private async process(
    handler: MessageHandler,
    batch: FetchedBatch,
    messages: FetchedMessage[],
  ): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      this.ensureActive(batch);
      const outcome = await this.invoke(handler, toInbound(batch, messages));
      if (outcome.kind === 'done') {
        if (await this.settle(batch, messages, outcome.rejected, attempt)) return;
        await this.backoff(batch, attempt);
        continue;
      }
      const where = `${batch.topic}[${batch.partition}]@${messages[0].offset}+${messages.length}`;
      if (!outcome.transient && attempt >= this.options.maxAttempts) {
        if (messages.length > 1) {
          this.logger.warn(`${where}: failing after ${attempt} attempts; isolating the culprit`);
          for (const message of messages) await this.process(handler, batch, [message]);
          return;
        }
        const [message] = messages;
        const rejected = {
          offset: message.offset,
          errorClass: 'ProcessingFailed',
          message: outcome.reason,
        };
        if (await this.settle(batch, messages, [rejected], attempt)) return;
        await this.backoff(batch, attempt);
        continue;
      }
      this.logger.warn(`${where}: attempt ${attempt} failed (${outcome.reason}); retrying`);
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
    try {
      await this.deadLetter(batch, messages, rejected, attempts);
      await this.commit(batch, messages[messages.length - 1].offset);
      return true;
    } catch (error) {
      if (error instanceof BatchAbandoned) throw error;
      this.logger.warn(
        `${batch.topic}[${batch.partition}]: settle failed (${errorMessage(error)})`,
      );
      return false;
    }
  }

  /** Runs the handler; an exception (after Nest's filters) counts as a non-transient failure. */
  private async invoke(
    handler: MessageHandler,
    batch: KafkaInboundBatch,
  ): Promise<KafkaBatchOutcome> {
    try {
      const returned: unknown = await handler(batch);
      const result: unknown = await lastValueFrom(this.transformToObservable(returned), {
        defaultValue: undefined,
      });
      if (isOutcome(result)) return result;
      return { kind: 'retry', transient: false, reason: 'handler returned no outcome' };
    } catch (error) {
      return { kind: 'retry', transient: false, reason: errorMessage(error) };
    }
  }

  private async deadLetter(
    batch: FetchedBatch,
    messages: FetchedMessage[],
    rejected: KafkaRejectedMessage[],
    attempts: number,
  ): Promise<void> {
    if (rejected.length === 0) return;
    const byOffset = new Map(messages.map((message) => [message.offset, message]));
    // Reasons may quote what the message carried: what is echoed is bounded.
    const reasonOf = (rejection: KafkaRejectedMessage) =>
      truncateText(rejection.message, DEAD_LETTER_REASON_MAX);
    const failedAt = new Date().toISOString();
    await this.producer!.send(
      this.options.deadLetterTopicOf(batch.topic),
      rejected.map((reason) => {
        const original = byOffset.get(reason.offset)!;
        return {
          key: original.key,
          value: original.value,
          headers: {
            ...original.headers,
            [DeadLetterHeaders.ORIGINAL_TOPIC]: batch.topic,
            [DeadLetterHeaders.ORIGINAL_PARTITION]: String(batch.partition),
            [DeadLetterHeaders.ORIGINAL_OFFSET]: original.offset,
            [DeadLetterHeaders.ORIGINAL_TIMESTAMP]: original.timestamp,
            [DeadLetterHeaders.ERROR_CLASS]: reason.errorClass,
            [DeadLetterHeaders.ERROR_MESSAGE]: reasonOf(reason),
            [DeadLetterHeaders.ATTEMPTS]: String(attempts),
            [DeadLetterHeaders.FAILED_AT]: failedAt,
          },
        };
      }),
    );
    for (const reason of rejected) {
      this.options.metrics.kafkaDeadLetters.inc({
        topic: batch.topic,
        error_class: reason.errorClass,
      });
      const { headers } = byOffset.get(reason.offset)!;
      CorrelationContext.run(validCorrelationId(headers[CORRELATION_ID_HEADER]), () =>
        this.logger.warn(
          `${batch.topic}[${batch.partition}]@${reason.offset} dead-lettered: ${reason.errorClass}: ${reasonOf(reason)}`,
        ),
      );
    }
  }

  /** Commits the next offset to read: `last + 1`. Also while draining: that is the drain. */
  private async commit(batch: FetchedBatch, lastOffset: string): Promise<void> {
    if (batch.isStale()) throw new BatchAbandoned('partition reassigned');
    const next = BigInt(lastOffset) + 1n;
    await batch.commit(next);
    this.reportLag(batch, next);
  }

  /** Lag as of this batch's fetch: the partition's log end offset minus the next offset to process. */
  private reportLag(batch: FetchedBatch, nextOffset: bigint): void {
    this.options.metrics.kafkaConsumerLag.set(
      { topic: batch.topic, partition: batch.partition },
      Number(batch.highWatermark() - nextOffset),
    );
  }

  /** Exponential backoff in slices, heartbeating so the group keeps this member. */
  private async backoff(batch: FetchedBatch, attempt: number): Promise<void> {
    const { retryInitialMs, retryMaxMs } = this.options;
    let remaining = backoffMs(attempt, {
      initialMs: retryInitialMs,
      maxMs: retryMaxMs,
      jitter: BACKOFF_JITTER,
    });
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
    if (this.draining) throw new BatchAbandoned('shutting down');
    if (!batch.isRunning()) throw new BatchAbandoned('consumer stopping');
    if (batch.isStale()) throw new BatchAbandoned('partition reassigned');
  }
}

function toInbound(batch: FetchedBatch, messages: FetchedMessage[]): KafkaInboundBatch {
  return {
    topic: batch.topic,
    partition: batch.partition,
    messages: messages.map((message): KafkaInboundMessage => ({
      offset: message.offset,
      key: message.key?.toString() ?? null,
      value: message.value,
      headers: message.headers,
      timestamp: message.timestamp,
    })),
  };
}

function isOutcome(value: unknown): value is KafkaBatchOutcome {
  return (
    typeof value === 'object' &&
    value !== null &&
    ((value as KafkaBatchOutcome).kind === 'done' || (value as KafkaBatchOutcome).kind === 'retry')
  );
}
