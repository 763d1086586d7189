import { Injectable } from '@nestjs/common';
import { NotificationWebSocketTopics } from '@signal/core';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Caller-chosen emit topics counted under their own name; later new ones count as `other`. */
export const CALLER_TOPIC_LABELS = 100;
export const OTHER_TOPIC_LABEL = 'other';

const SIGNAL_TOPICS: ReadonlySet<string> = new Set(Object.values(NotificationWebSocketTopics));

/**
 * Every metric Signal exposes at `/metrics`, in a registry of this instance's own: prom-client's
 * default registry is process-wide, and tests start several apps in one process. Node's process
 * metrics keep their standard unprefixed names (`process_*`, `nodejs_*`) so stock dashboards fit.
 *
 * Labels carry bounded values only (topics, channels, route patterns), never ids or raw URLs.
 */
@Injectable()
export class SignalMetrics {
  readonly registry = new Registry();

  /** Set per partition when a batch arrives and again once it is committed. */
  readonly kafkaConsumerLag = new Gauge({
    name: 'signal_kafka_consumer_lag',
    help: "Messages of a partition this consumer has not processed yet: the batch's log end offset (high watermark) minus the next offset to process",
    labelNames: ['topic', 'partition'] as const,
    registers: [this.registry],
  });

  readonly kafkaBatchSize = new Histogram({
    name: 'signal_kafka_batch_size',
    help: 'Messages per partition batch handed to a handler',
    labelNames: ['topic'] as const,
    buckets: [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500],
    registers: [this.registry],
  });

  readonly kafkaBatchDuration = new Histogram({
    name: 'signal_kafka_batch_duration_seconds',
    help: 'From the arrival of a partition batch to its commit, retries and dead-lettering included',
    labelNames: ['topic'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  readonly kafkaDeadLetters = new Counter({
    name: 'signal_kafka_dead_letters_total',
    help: 'Messages sent to the dead-letter topic, by the topic they came from and why',
    labelNames: ['topic', 'error_class'] as const,
    registers: [this.registry],
  });

  readonly socketConnections = new Gauge({
    name: 'signal_socket_connections',
    help: 'Authenticated Socket.IO connections open on this instance',
    registers: [this.registry],
  });

  readonly socketConnectionLimit = new Gauge({
    name: 'signal_socket_connection_limit',
    help: 'Socket.IO connections this instance accepts (SIGNAL_MAX_CONNECTIONS); new ones above it are refused with SERVER_BUSY',
    registers: [this.registry],
  });

  readonly socketRefusals = new Counter({
    name: 'signal_socket_refusals_total',
    help: 'Socket.IO handshakes refused, by the code of their connect_error (SERVER_BUSY, TOKEN_EXPIRED, …)',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  private readonly socketEmits = new Counter({
    name: 'signal_socket_emits_total',
    help: `Socket.IO events emitted to everyone, a room or a connection (every instance delivers them), by topic: Signal's own topics, the first ${CALLER_TOPIC_LABELS} other topics of this process, then "${OTHER_TOPIC_LABEL}"`,
    labelNames: ['topic'] as const,
    registers: [this.registry],
  });

  /** REST callers choose topics freely: every new one would be a new time series. */
  private readonly callerTopics = new Set<string>();

  readonly phxDeliveries = new Counter({
    name: 'signal_phx_deliveries_total',
    help: 'PHX channel deliveries settled, by channel and status (sent, failed, skipped, retrying: a transient failure scheduled for another attempt, superseded: an attempt that outlived its lease, whose outcome was not stored, or unsettled: an attempt whose outcome the database did not take before its lease ran out or the process stopped, so the channel is tried again)',
    labelNames: ['channel', 'status'] as const,
    registers: [this.registry],
  });

  readonly phxProducerRequests = new Counter({
    name: 'signal_phx_producer_requests_total',
    help: 'POST /emit/inapp-noti requests by outcome: accepted, not_delivered, duplicate (a repeated idempotency key) or invalid',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly httpRequestDuration = new Histogram({
    name: 'signal_http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern (unmatched for no route) and status, errors included',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  recordSocketEmit(topic: string): void {
    this.socketEmits.inc({ topic: this.topicLabel(topic) });
  }

  private topicLabel(topic: string): string {
    if (SIGNAL_TOPICS.has(topic) || this.callerTopics.has(topic)) return topic;
    if (this.callerTopics.size >= CALLER_TOPIC_LABELS) return OTHER_TOPIC_LABEL;
    this.callerTopics.add(topic);
    return topic;
  }
}
