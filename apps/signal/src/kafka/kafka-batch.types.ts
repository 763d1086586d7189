/** One message as the batch transport hands it to a handler: raw bytes, the handler parses. */
export interface KafkaInboundMessage {
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
  /** Broker timestamp, ms since epoch, as a string. */
  timestamp: string;
}

/** The messages of one partition that a handler processes together. */
export interface KafkaInboundBatch {
  topic: string;
  partition: number;
  messages: KafkaInboundMessage[];
}

/** A message that can never succeed; the transport dead-letters it with this reason. */
export interface KafkaRejectedMessage {
  offset: string;
  errorClass: string;
  message: string;
}

/**
 * What a batch handler answers. `done`: every effect is durable, the `rejected` messages go to
 * the dead-letter topic, and the batch is committed. `retry`: nothing is committed; `transient`
 * failures are retried without limit, others a bounded number of times before the transport
 * isolates the culprit and dead-letters it.
 */
export type KafkaBatchOutcome =
  | { kind: 'done'; rejected: KafkaRejectedMessage[] }
  | { kind: 'retry'; transient: boolean; reason: string };
