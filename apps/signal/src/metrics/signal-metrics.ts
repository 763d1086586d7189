import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

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

  readonly socketEmits = new Counter({
    name: 'signal_socket_emits_total',
    help: 'Socket.IO events emitted to everyone, a room or a connection (every instance delivers them), by topic',
    labelNames: ['topic'] as const,
    registers: [this.registry],
  });

  readonly phxDeliveries = new Counter({
    name: 'signal_phx_deliveries_total',
    help: 'PHX channel deliveries settled, by channel and status (sent, failed, skipped, retrying: a transient failure scheduled for another attempt, or superseded: an attempt that outlived its lease, whose outcome was not stored)',
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
}
