/**
 * The Kafka client seam: what the batch transport and the PHX hand-off need from a client, so
 * that kafkajs (in maintenance mode since 2023) and `@platformatic/kafka` are interchangeable
 * behind `KAFKA_CLIENT`. Admin operations (topic creation, health, dead-letter replay) stay on
 * kafkajs whichever client consumes and produces.
 */

/** The Kafka clients Signal can consume and produce with (`KAFKA_CLIENT`). */
export const KAFKA_CLIENTS = ['kafkajs', 'platformatic'] as const;
export type KafkaClientName = (typeof KAFKA_CLIENTS)[number];

/** A fetched message, client-neutral; headers as strings (of a repeated header, the last value). */
export interface FetchedMessage {
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
  /** Broker timestamp, ms since epoch, as a string. */
  timestamp: string;
}

/** Consecutive messages of one partition, with what the transport needs to settle them. */
export interface FetchedBatch {
  topic: string;
  partition: number;
  messages: FetchedMessage[];
  /** The partition's log end offset as last seen by the client, for lag. */
  highWatermark(): bigint;
  /** Tells the group this member is alive while it waits. */
  heartbeat(): Promise<void>;
  /** The consumer is still running (not stopping or crashed). */
  isRunning(): boolean;
  /** The partition went to another member since the batch was fetched. */
  isStale(): boolean;
  /** Commits `next` (the next offset to read) for this partition. */
  commit(next: bigint): Promise<void>;
}

export interface BatchConsumerOptions {
  brokers: string[];
  /** Used exactly: no "-server" suffix. */
  clientId: string;
  groupId: string;
  sessionTimeoutMs: number;
  /** Partitions whose batches are processed at the same time. */
  partitionsConcurrency: number;
}

export interface BatchConsumerRun {
  topics: string[];
  /** Where a new group starts: false = the latest offset. */
  fromBeginning: boolean;
  /** Never auto-committed: the callee commits through the batch. */
  eachBatch: (batch: FetchedBatch) => Promise<void>;
  /** After every (re)join of the group, before the new assignment is consumed. */
  onGroupJoin: () => void;
}

/** A group member that hands out batches per partition and commits only when told to. */
export interface BatchConsumer {
  run(options: BatchConsumerRun): Promise<void>;
  /** Stops fetching; batches in flight carry on. */
  pause(): void;
  /** Leaves the group. */
  close(): Promise<void>;
}

export interface OutboundMessage {
  key: Buffer | string | null;
  value: Buffer | string | null;
  headers: Record<string, string>;
}

export interface MessageProducerOptions {
  brokers: string[];
  clientId: string;
  /** Idempotent producer (no duplicates from the client's own retries). */
  idempotent?: boolean;
  /** Client-level retries of a failed request; the client's default when absent. */
  retries?: number;
}

/** Produces with acks from all in-sync replicas; keyed messages use Java's partitioner. */
export interface MessageProducer {
  connect(): Promise<void>;
  send(topic: string, messages: OutboundMessage[]): Promise<void>;
  disconnect(): Promise<void>;
}
