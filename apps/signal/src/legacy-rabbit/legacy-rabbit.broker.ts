import { Injectable, Logger } from '@nestjs/common';
import { AmqpConnectionManager, ChannelWrapper, connect } from 'amqp-connection-manager';
import { Channel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import { RabbitMqExchanges } from '@signal/core';
import { SignalConfig } from '../config/signal-config';
import { CorrelationContext, correlationIdOrNew } from '../logging/correlation-context';
import { envelopeCorrelationId } from './legacy-event.parser';
import { LEGACY_MAX_PRIORITY } from './legacy-notification.mapper';
import { errorMessage } from '../common/error-message';
import { backoffMs } from '../common/backoff';

/** Why a dead-lettered event was refused, on the copy in `<queue>.dlq`. */
export const LEGACY_REASON_HEADER = 'x-signal-reason';
/** Which stage refused it: `ingress` (the envelope) or `delivery` (targets, the Producer). */
export const LEGACY_STAGE_HEADER = 'x-signal-stage';
export const LEGACY_ROUTING_KEY_HEADER = 'x-signal-original-routing-key';
/** How many times the delivery stage has tried an event it put off for later. */
export const LEGACY_ATTEMPTS_HEADER = 'x-signal-attempts';
const MAX_REASON_LENGTH = 4000;
const REQUEUE_DELAY_MS = 1000;
/** A publish RabbitMQ has not confirmed by then fails (it waits across reconnects until then). */
export const LEGACY_PUBLISH_TIMEOUT_MS = 30_000;
const RETRY_INITIAL_MS = 1000;
const RETRY_MAX_MS = 60_000;

/**
 * What a stage decided about one message: done, refused for good, or (delivery stage) to try
 * again after a backoff without holding up the queue. A thrown error means "give it back to
 * its queue and try again shortly".
 */
export type LegacyOutcome =
  { kind: 'ack' } | { kind: 'dead-letter'; reason: string } | { kind: 'retry'; reason: string };
export type LegacyStage = 'ingress' | 'delivery';
export type LegacyHandler = (message: ConsumeMessage) => Promise<LegacyOutcome>;

/** Queue and exchange names derived from `RABBITMQ_QUEUE`. */
export function legacyTopology(queue: string) {
  return {
    ingressQueue: queue,
    deliveryQueue: `${queue}.delivery`,
    deadLetterExchange: `${queue}.dlx`,
    deadLetterQueue: `${queue}.dlq`,
    retryQueue: `${queue}.retry`,
  };
}

/**
 * The adapter's RabbitMQ side, on amqp-connection-manager (which reconnects by itself and runs
 * the setup of each channel again on the new connection):
 *
 * - `notifications.exchange` (topic, durable) → RABBITMQ_QUEUE (durable, bound with
 *   LEGACY_RABBIT_BINDING_PATTERN): the ingress stage, handled concurrently up to the prefetch.
 * - `<queue>.delivery` (durable, `x-max-priority` 4): V1 publishers do not set AMQP priority, so
 *   the ingress stage re-publishes each valid event with the priority of
 *   `notification.priority`; the broker then hands out urgent before high before normal before
 *   low. The delivery stage handles one event at a time so that order holds, and can be paused.
 * - `<queue>.dlx` (fanout) → `<queue>.dlq`: refused events, as received, with the reason and the
 *   stage in headers. Both work queues also name it as their dead-letter exchange.
 * - `<queue>.retry` (durable, no consumer): events the delivery stage puts off wait there for
 *   their backoff (per-message TTL), then expire back into `<queue>.delivery`; the others go on
 *   meanwhile.
 *
 * Acks are manual and go to the channel that delivered the message: after a reconnect that
 * channel is gone, and the broker redelivers the message instead (the stages are idempotent).
 * A stage that throws (database or Producer down) gets its message back after a pause.
 */
@Injectable()
export class LegacyRabbitBroker {
  private readonly logger = new Logger(LegacyRabbitBroker.name);
  private readonly names: ReturnType<typeof legacyTopology>;
  private connection?: AmqpConnectionManager;
  private publisher?: ChannelWrapper;
  private ingress?: ChannelWrapper;
  private delivery?: ChannelWrapper;
  private deliveryChannel?: ConfirmChannel;
  private deliveryConsumerTag?: string;
  private deliveryPaused = false;
  private deliveryHandler?: LegacyHandler;
  private deliveryChain: Promise<void> = Promise.resolve();
  private readonly inFlight = new Set<Promise<void>>();
  private closing = false;

  constructor(private readonly config: SignalConfig) {
    this.names = legacyTopology(config.rabbitmq.queue);
  }

  get topology(): ReturnType<typeof legacyTopology> {
    return this.names;
  }

  async start(handlers: Record<LegacyStage, LegacyHandler>): Promise<void> {
    const { url, prefetch } = this.config.rabbitmq;
    this.connection = connect([url], { heartbeatIntervalInSeconds: 5, reconnectTimeInSeconds: 1 });
    this.connection.on('connect', () => this.logger.log('connected to RabbitMQ'));
    this.connection.on('disconnect', ({ err }: { err: Error }) =>
      this.logger.warn(`RabbitMQ connection lost (${err.message}); reconnecting`),
    );
    this.publisher = this.connection.createChannel({
      name: 'legacy-publisher',
      setup: (channel: ConfirmChannel) => this.declareTopology(channel),
    });
    this.ingress = this.connection.createChannel({
      name: 'legacy-ingress',
      setup: async (channel: ConfirmChannel) => {
        await this.declareTopology(channel);
        await channel.prefetch(prefetch);
        await channel.consume(this.names.ingressQueue, (message) => {
          if (!message) return;
          this.track(
            inMessageContext(message, () =>
              this.settle('ingress', channel, message, handlers.ingress),
            ),
          );
        });
      },
    });
    this.delivery = this.connection.createChannel({
      name: 'legacy-delivery',
      setup: async (channel: ConfirmChannel) => {
        await this.declareTopology(channel);
        await channel.prefetch(prefetch);
        this.deliveryChannel = channel;
        this.deliveryConsumerTag = undefined;
        channel.once('close', () => {
          if (this.deliveryChannel === channel) this.deliveryChannel = undefined;
        });
        if (!this.deliveryPaused) await this.consumeDelivery(channel, handlers.delivery);
      },
    });
    this.deliveryHandler = handlers.delivery;
    const wrappers = [this.publisher, this.ingress, this.delivery];
    let failStart: (error: Error) => void = () => undefined;
    const setupFailed = new Promise<never>((_, reject) => (failStart = reject));
    for (const wrapper of wrappers) {
      // Unlistened 'error' events would crash the process; after the start the wrapper retries.
      wrapper.on('error', (error: Error) => {
        this.logger.warn(`${wrapper.name}: channel error (${error.message})`);
        failStart(error);
      });
    }
    try {
      // A queue declared earlier with other arguments (e.g. by the NestJS RMQ transport that
      // used RABBITMQ_QUEUE before) fails every setup: better a clear boot error than a hang.
      await Promise.race([
        Promise.all(wrappers.map((wrapper) => wrapper.waitForConnect())),
        setupFailed,
      ]);
    } catch (error) {
      await this.connection.close();
      throw new Error(
        `legacy RabbitMQ adapter: cannot set up ${this.names.ingressQueue} and its queues (${errorMessage(error)}); a queue of that name declared with other arguments must be deleted, or RABBITMQ_QUEUE changed`,
      );
    } finally {
      failStart = () => undefined;
    }
  }

  /** Re-publishes a valid event into the priority queue; resolves once the broker confirmed it. */
  async enqueueForDelivery(
    content: Buffer,
    { eventKey, priority, routingKey }: { eventKey: string; priority: number; routingKey: string },
  ): Promise<void> {
    await this.requirePublisher().sendToQueue(this.names.deliveryQueue, content, {
      persistent: true,
      timeout: LEGACY_PUBLISH_TIMEOUT_MS,
      priority,
      messageId: eventKey,
      // The delivery stage, and the Producer after it, log under the id the event came with.
      correlationId: CorrelationContext.current(),
      contentType: 'application/json',
      headers: { [LEGACY_ROUTING_KEY_HEADER]: routingKey },
    });
  }

  /**
   * Stops handing out events of the delivery stage (the ingress stage goes on filling the
   * priority queue); events already prefetched go back to the queue. For operations and tests.
   */
  async pauseDelivery(): Promise<void> {
    this.deliveryPaused = true;
    const channel = this.deliveryChannel;
    const tag = this.deliveryConsumerTag;
    this.deliveryConsumerTag = undefined;
    if (channel && tag) await channel.cancel(tag);
    await this.deliveryChain;
  }

  async resumeDelivery(): Promise<void> {
    this.deliveryPaused = false;
    if (this.deliveryChannel && this.deliveryHandler && !this.deliveryConsumerTag) {
      await this.consumeDelivery(this.deliveryChannel, this.deliveryHandler);
    }
  }

  /** Stops consuming, lets in-flight events finish (or go back to the queue), then disconnects. */
  async close(): Promise<void> {
    this.closing = true;
    await this.ingress?.close();
    await this.pauseDelivery();
    await Promise.all(this.inFlight);
    await this.delivery?.close();
    await this.publisher?.close();
    await this.connection?.close();
  }

  private async consumeDelivery(channel: ConfirmChannel, handler: LegacyHandler): Promise<void> {
    const { consumerTag } = await channel.consume(this.names.deliveryQueue, (message) => {
      if (!message) return;
      // One at a time, in the order the broker chose (by priority). Messages of a channel that
      // closed meanwhile are skipped: the broker has already put them back.
      this.deliveryChain = this.deliveryChain.then(() =>
        this.deliveryPaused || channel !== this.deliveryChannel
          ? this.nack(channel, message)
          : inMessageContext(message, () => this.settle('delivery', channel, message, handler)),
      );
    });
    this.deliveryConsumerTag = consumerTag;
  }

  private async settle(
    stage: LegacyStage,
    channel: Channel,
    message: ConsumeMessage,
    handler: LegacyHandler,
  ): Promise<void> {
    let outcome: LegacyOutcome;
    try {
      outcome = await handler(message);
    } catch (error) {
      this.logger.error(
        `${stage}: event ${message.properties.messageId ?? message.fields.deliveryTag} not handled (${errorMessage(error)}); back to the queue`,
      );
      await new Promise((resolve) => setTimeout(resolve, this.closing ? 0 : REQUEUE_DELAY_MS));
      return this.nack(channel, message);
    }
    try {
      if (outcome.kind === 'dead-letter') await this.deadLetter(stage, message, outcome.reason);
      if (outcome.kind === 'retry') await this.retryLater(message, outcome.reason);
      channel.ack(message);
    } catch (error) {
      // The channel closed under us: the broker redelivers, and the stages are idempotent.
      this.logger.warn(`${stage}: could not settle a message (${errorMessage(error)})`);
    }
  }

  private async deadLetter(stage: LegacyStage, message: ConsumeMessage, reason: string) {
    const { headers = {}, contentType, messageId } = message.properties as AmqpProperties;
    this.logger.warn(`${stage}: dead-lettered: ${reason}`);
    await this.requirePublisher().publish(
      this.names.deadLetterExchange,
      message.fields.routingKey,
      message.content,
      {
        persistent: true,
        contentType,
        messageId,
        // The event's own (see inMessageContext), so a publisher finds its refused events by it.
        correlationId: CorrelationContext.current(),
        headers: {
          ...headers,
          [LEGACY_REASON_HEADER]: reason.slice(0, MAX_REASON_LENGTH),
          [LEGACY_STAGE_HEADER]: stage,
          [LEGACY_ROUTING_KEY_HEADER]:
            headers[LEGACY_ROUTING_KEY_HEADER] ?? message.fields.routingKey,
        },
      },
    );
  }

  /** Parks the event in the retry queue for its backoff; it then expires back into the delivery queue. */
  private async retryLater(message: ConsumeMessage, reason: string): Promise<void> {
    const { headers = {}, priority, contentType, messageId } = message.properties as AmqpProperties;
    const attempt = (Number(headers[LEGACY_ATTEMPTS_HEADER]) || 0) + 1;
    const delayMs = backoffMs(attempt, { initialMs: RETRY_INITIAL_MS, maxMs: RETRY_MAX_MS });
    this.logger.warn(
      `delivery: event ${messageId ?? '(no id)'} attempt ${attempt} failed (${reason}); next in ${delayMs} ms`,
    );
    await this.requirePublisher().sendToQueue(this.names.retryQueue, message.content, {
      persistent: true,
      priority,
      messageId,
      correlationId: CorrelationContext.current(),
      contentType,
      expiration: String(delayMs),
      headers: { ...headers, [LEGACY_ATTEMPTS_HEADER]: attempt },
    });
  }

  private nack(channel: Channel, message: ConsumeMessage): void {
    try {
      channel.nack(message, false, true);
    } catch {
      // Channel already closed: the broker requeued the message itself.
    }
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private requirePublisher(): ChannelWrapper {
    if (!this.publisher) throw new Error('the legacy RabbitMQ adapter is not started');
    return this.publisher;
  }

  private async declareTopology(channel: ConfirmChannel): Promise<void> {
    const { ingressQueue, deliveryQueue, deadLetterExchange, deadLetterQueue, retryQueue } =
      this.names;
    await channel.assertExchange(RabbitMqExchanges.LEGACY_NOTIFICATIONS, 'topic', {
      durable: true,
    });
    await channel.assertExchange(deadLetterExchange, 'fanout', { durable: true });
    await channel.assertQueue(deadLetterQueue, { durable: true });
    await channel.bindQueue(deadLetterQueue, deadLetterExchange, '');
    await channel.assertQueue(ingressQueue, { durable: true, deadLetterExchange });
    await channel.bindQueue(
      ingressQueue,
      RabbitMqExchanges.LEGACY_NOTIFICATIONS,
      this.config.legacy.bindingPattern,
    );
    await channel.assertQueue(deliveryQueue, {
      durable: true,
      deadLetterExchange,
      maxPriority: LEGACY_MAX_PRIORITY,
    });
    await channel.assertQueue(retryQueue, {
      durable: true,
      deadLetterExchange: '',
      deadLetterRoutingKey: deliveryQueue,
    });
  }
}

/** The properties of a received message the adapter passes on (amqplib types them `any`). */
interface AmqpProperties {
  headers?: Record<string, unknown>;
  priority?: number;
  contentType?: string;
  messageId?: string;
}

/**
 * Runs a stage's work under the event's correlation id: the envelope's `correlationId` (seed
 * 003), else the AMQP property, else a new one. Every message the stage publishes carries it.
 */
function inMessageContext<T>(message: ConsumeMessage, work: () => T): T {
  const correlationId =
    envelopeCorrelationId(message.content) ?? correlationIdOrNew(message.properties.correlationId);
  return CorrelationContext.run(correlationId, work);
}
