import { Logger } from '@nestjs/common';
import {
  compatibilityPartitioner,
  Consumer,
  Message,
  MessagesStream,
  ProduceAcks,
  Producer,
} from '@platformatic/kafka';
import { errorMessage } from '../common/error-message';
import {
  BatchConsumer,
  BatchConsumerOptions,
  BatchConsumerRun,
  FetchedMessage,
  MessageProducer,
  MessageProducerOptions,
  OutboundMessage,
} from './kafka-client';

// Fetched but unprocessed messages above which fetching pauses, and below which it resumes.
const BUFFER_HIGH = 10_000;
const BUFFER_LOW = 2_000;
// Bytes of keys and values per batch at most: kafkajs's batches are one fetch of a partition,
// 1 MiB by default (`maxBytesPerPartition`); bigger ones would make a drain on shutdown long.
const BATCH_MAX_BYTES = 1_048_576;
// A stream that failed (broker away) is reopened after this long.
const REOPEN_DELAY_MS = 1000;
// Log end offsets (for lag) are refreshed at most this often.
const HIGH_WATERMARKS_MAX_AGE_MS = 1000;

/**
 * Java's and kafkajs's key → partition mapping. The library's default differs for keys whose hash
 * has the top bit set (half of them on 3 partitions), which would move keys, and break their
 * order, on a switch of client.
 */
export const keyPartitioner = compatibilityPartitioner;

/** What is fetched of one assigned partition and not yet handed to a batch. */
interface PartitionState {
  topic: string;
  partition: number;
  queue: Message[];
  /** The offset after the last queued message: fetches before it are duplicates. */
  next: bigint | null;
  busy: boolean;
}

/**
 * `@platformatic/kafka` hands out a stream of messages across partitions and heartbeats on its
 * own timer; this groups the stream per partition into batches like kafkajs's `eachBatch`, at
 * most `partitionsConcurrency` partitions at a time, one batch per partition at a time.
 */
export class PlatformaticBatchConsumer implements BatchConsumer {
  private readonly logger = new Logger(PlatformaticBatchConsumer.name);
  private readonly consumer: Consumer;
  private stream: MessagesStream<Buffer, Buffer, Buffer, Buffer> | null = null;
  private runOptions: BatchConsumerRun | null = null;
  private readonly partitions = new Map<string, PartitionState>();
  private readonly waiting: PartitionState[] = [];
  private buffered = 0;
  private active = 0;
  private running = false;
  private paused = false;
  private readonly highWatermarks = new Map<string, bigint>();
  private highWatermarksAt = 0;
  private highWatermarksRefresh: Promise<void> | null = null;

  constructor(private readonly options: BatchConsumerOptions) {
    this.consumer = new Consumer({
      clientId: options.clientId,
      bootstrapBrokers: options.brokers,
      groupId: options.groupId,
      autocreateTopics: false,
      sessionTimeout: options.sessionTimeoutMs,
      rebalanceTimeout: options.sessionTimeoutMs,
      heartbeatInterval: Math.min(3000, Math.floor(options.sessionTimeoutMs / 3)),
    });
  }

  async run(options: BatchConsumerRun): Promise<void> {
    this.runOptions = options;
    this.running = true;
    this.consumer.on('consumer:group:join', () => {
      this.dropRevoked();
      options.onGroupJoin();
    });
    if (options.topics.length > 0) await this.open();
  }

  pause(): void {
    this.paused = true;
    this.stream?.pause();
  }

  async close(): Promise<void> {
    this.running = false;
    const stream = this.stream;
    this.stream = null;
    await stream?.close().catch(() => undefined);
    await this.consumer.close();
  }

  private async open(): Promise<void> {
    const { topics, fromBeginning } = this.runOptions!;
    const stream = await this.consumer.consume({
      topics,
      autocommit: false,
      mode: 'committed',
      fallbackMode: fromBeginning ? 'earliest' : 'latest',
    });
    this.stream = stream;
    // Reopened while draining: stays paused.
    if (this.paused) stream.pause();
    stream.on('data', (message: Message) => this.enqueue(message));
    stream.on('error', (error: Error) => {
      if (!this.running || this.stream !== stream) return;
      this.logger.warn(`consumer stream failed (${errorMessage(error)}); reopening`);
      this.stream = null;
      setTimeout(() => void this.reopen(), REOPEN_DELAY_MS);
    });
  }

  private async reopen(): Promise<void> {
    if (!this.running || this.stream) return;
    try {
      await this.open();
    } catch (error) {
      this.logger.warn(`cannot reopen the consumer stream (${errorMessage(error)})`);
      setTimeout(() => void this.reopen(), REOPEN_DELAY_MS);
    }
  }

  private enqueue(message: Message): void {
    const { topic, partition, offset } = message;
    if (!this.assigned(topic, partition)) return;
    const key = `${topic}:${partition}`;
    let state = this.partitions.get(key);
    if (!state) {
      state = { topic, partition, queue: [], next: null, busy: false };
      this.partitions.set(key, state);
    }
    // After a rejoin the stream fetches again from the committed offset.
    if (state.next !== null && offset < state.next) return;
    state.queue.push(message);
    state.next = offset + 1n;
    if (++this.buffered >= BUFFER_HIGH) this.stream?.pause();
    this.schedule(state);
  }

  /** Partitions no longer assigned lose what was fetched for them; the new owner fetches it. */
  private dropRevoked(): void {
    for (const [key, state] of this.partitions) {
      if (this.assigned(state.topic, state.partition)) continue;
      this.partitions.delete(key);
      this.buffered -= state.queue.length;
      state.queue = [];
    }
  }

  private assigned(topic: string, partition: number): boolean {
    return (
      this.consumer.assignments?.some(
        (assignment) => assignment.topic === topic && assignment.partitions.includes(partition),
      ) ?? false
    );
  }

  private schedule(state: PartitionState): void {
    if (state.busy || state.queue.length === 0 || this.waiting.includes(state)) return;
    this.waiting.push(state);
    this.startWaiting();
  }

  /** Partitions take turns: one batch each, in the order they became ready. */
  private startWaiting(): void {
    while (this.active < this.options.partitionsConcurrency && this.waiting.length > 0) {
      const next = this.waiting.shift()!;
      if (!next.busy && next.queue.length > 0) void this.work(next);
    }
  }

  /** One batch of `state`'s partition, then the next partition waiting its turn. */
  private async work(state: PartitionState): Promise<void> {
    state.busy = true;
    this.active++;
    const messages = state.queue.splice(0, batchLength(state.queue));
    this.buffered -= messages.length;
    if (this.buffered <= BUFFER_LOW && !this.paused) this.stream?.resume();
    try {
      await this.runOptions!.eachBatch(this.batchOf(state, messages));
    } catch (error) {
      // The transport settles or abandons every batch itself; this is a bug, not a Kafka failure.
      this.logger.error(`${state.topic}[${state.partition}]: batch failed: ${errorMessage(error)}`);
    } finally {
      state.busy = false;
      this.active--;
      this.schedule(state);
      this.startWaiting();
    }
  }

  private batchOf(state: PartitionState, messages: Message[]) {
    const { topic, partition } = state;
    const key = `${topic}:${partition}`;
    const last = messages[messages.length - 1];
    this.refreshHighWatermarks();
    return {
      topic,
      partition,
      messages: messages.map(fetched),
      highWatermark: () => {
        const known = this.highWatermarks.get(key) ?? 0n;
        return known > last.offset ? known : last.offset + 1n;
      },
      // Heartbeats run on the client's own timer.
      heartbeat: () => Promise.resolve(),
      isRunning: () => this.running,
      isStale: () => this.partitions.get(key) !== state || !this.assigned(topic, partition),
      commit: (next: bigint) =>
        this.consumer.commit({
          offsets: [{ topic, partition, offset: next, leaderEpoch: last.leaderEpoch }],
        }),
    };
  }

  /** In the background: lag is reported from the last known log end offsets. */
  private refreshHighWatermarks(): void {
    if (
      this.highWatermarksRefresh ||
      Date.now() - this.highWatermarksAt < HIGH_WATERMARKS_MAX_AGE_MS
    )
      return;
    this.highWatermarksRefresh = this.consumer
      .listOffsets({ topics: this.runOptions!.topics })
      .then((offsets) => {
        for (const [topic, ends] of offsets) {
          ends.forEach((end, partition) => this.highWatermarks.set(`${topic}:${partition}`, end));
        }
      })
      .catch(() => undefined)
      .finally(() => {
        this.highWatermarksAt = Date.now();
        this.highWatermarksRefresh = null;
      });
  }
}

/** How many of the first `queue` messages make a batch: at least one, at most BATCH_MAX_BYTES. */
function batchLength(queue: Message[]): number {
  let bytes = 0;
  for (let index = 0; index < queue.length; index++) {
    bytes += (queue[index].key?.length ?? 0) + (queue[index].value?.length ?? 0);
    if (bytes > BATCH_MAX_BYTES) return Math.max(1, index);
  }
  return queue.length;
}

function fetched(message: Message): FetchedMessage {
  const headers: Record<string, string> = {};
  for (const [name, value] of message.headers) headers[name.toString()] = value.toString();
  return {
    offset: message.offset.toString(),
    key: message.key ?? null,
    value: message.value ?? null,
    headers,
    timestamp: message.timestamp.toString(),
  };
}

export class PlatformaticMessageProducer implements MessageProducer {
  private readonly producer: Producer;

  constructor({ brokers, clientId, idempotent, retries }: MessageProducerOptions) {
    this.producer = new Producer({
      clientId,
      bootstrapBrokers: brokers,
      idempotent,
      retries,
      autocreateTopics: false,
      acks: ProduceAcks.ALL,
      partitioner: keyPartitioner,
    });
  }

  /** The client connects on first use; this checks the brokers answer. */
  async connect(): Promise<void> {
    await this.producer.metadata({ topics: [] });
  }

  async send(topic: string, messages: OutboundMessage[]): Promise<void> {
    await this.producer.send({
      messages: messages.map(({ key, value, headers }) => ({
        topic,
        key: key === null ? undefined : Buffer.from(key),
        value: value === null ? undefined : Buffer.from(value),
        headers: new Map(
          Object.entries(headers).map(([name, text]) => [Buffer.from(name), Buffer.from(text)]),
        ),
      })),
    });
  }

  disconnect(): Promise<void> {
    return this.producer.close();
  }
}
