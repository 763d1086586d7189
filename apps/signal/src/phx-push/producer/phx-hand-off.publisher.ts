import { BeforeApplicationShutdown, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { CORRELATION_ID_HEADER, PhxPushAcceptedMessage } from '@signal/core';
import { PhxPushRequestRepository } from '@signal/persistence';
import { Kafka } from 'kafkajs';
import { SignalConfig } from '../../config/signal-config';
import { ensureKafkaTopics, KafkaClients, MessageProducer, OutboundMessage } from '../../kafka';
import { errorMessage } from '../../common/error-message';

/** An accepted request to hand to the Consumer. */
export interface PhxHandOff {
  id: string;
  userId: string;
  /** The accepting request's, for the Consumer's logs. */
  correlationId?: string;
}

// Messages per produce call (and per hand-off UPDATE).
const MAX_BATCH = 500;
// Bounded on purpose: a request whose hand-off fails is the outbox relay's, not a stuck sender's.
const RETRIES = 2;

/**
 * Hands accepted requests to the Consumer: `{ requestId }` on the PHX topic, keyed by user id,
 * then `handed_off_at` set. Requests queue while a produce is in flight and go out together, so
 * a busy Producer pays one produce and one UPDATE per batch, not per request. Independent of
 * `KAFKA_ENABLED` (which switches the consumer transport), and never in the way of an answer:
 * a request whose hand-off fails stays in the database for the outbox relay.
 */
@Injectable()
export class PhxHandOffPublisher implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(PhxHandOffPublisher.name);
  /** For topic creation only: admin operations stay on kafkajs. */
  private readonly kafka: Kafka;
  private readonly producer: MessageProducer;
  private readonly topic: string;
  private connection: Promise<void> | null = null;
  private queue: PhxHandOff[] = [];
  private draining: Promise<void> | null = null;
  private closed = false;

  constructor(
    config: SignalConfig,
    private readonly requests: PhxPushRequestRepository,
    clients: KafkaClients,
  ) {
    this.topic = config.phx.topic;
    const clientIdSuffix = '_PHX_PRODUCER';
    this.kafka = clients.kafkajs({ clientIdSuffix, retry: { retries: RETRIES } });
    this.producer = clients.producer({ clientIdSuffix, idempotent: true, retries: RETRIES });
  }

  /** Connects in the background: the app serves (and the outbox catches up) while Kafka is away. */
  onModuleInit(): void {
    this.connected().catch(() => undefined);
  }

  /** Queues an accepted request for the next batch; failures are left to the outbox relay. */
  handOff(request: PhxHandOff): void {
    if (this.closed) return;
    this.queue.push(request);
    this.draining ??= this.drain();
  }

  /** Produces the requests (acks from all in-sync replicas) and marks them handed off; throws on failure. */
  async publish(requests: PhxHandOff[]): Promise<void> {
    await this.connected();
    await this.producer.send(
      this.topic,
      requests.map(({ id, userId, correlationId }): OutboundMessage => ({
        key: userId,
        value: JSON.stringify({ requestId: id } satisfies PhxPushAcceptedMessage),
        headers: correlationId === undefined ? {} : { [CORRELATION_ID_HEADER]: correlationId },
      })),
    );
    await this.requests.markHandedOff(requests.map(({ id }) => id));
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.closed = true;
    await this.draining;
    await this.connection?.catch(() => undefined);
    await this.producer.disconnect();
  }

  private async drain(): Promise<void> {
    // Lets the rest of the current batch of accepted requests join the first produce.
    await new Promise((resolve) => setImmediate(resolve));
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH);
        try {
          await this.publish(batch);
        } catch (error) {
          // Kafka is likely away: don't make every queued request wait for its own failure.
          const dropped = batch.length + this.queue.splice(0).length;
          this.logger.warn(
            `hand-off of ${dropped} accepted request(s) failed (${errorMessage(error)}); the outbox relay will retry them`,
          );
        }
      }
    } finally {
      this.draining = null;
    }
  }

  private connected(): Promise<void> {
    this.connection ??= this.connect().catch((error: unknown) => {
      this.connection = null;
      this.logger.warn(`cannot connect to Kafka for PHX hand-offs: ${errorMessage(error)}`);
      throw error;
    });
    return this.connection;
  }

  private async connect(): Promise<void> {
    await this.producer.connect();
    await ensureKafkaTopics(this.kafka, [this.topic], this.logger);
  }
}
