import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import Redis, { RedisOptions } from 'ioredis';
import { errorMessage } from '../../common/error-message';
import { dependencyUnavailable } from '../../common/signal.exception';
import { SignalConfig } from '../../config/signal-config';

/** Reconnect forever, at most 2 s apart: Redis coming back must be noticed without a restart. */
const RECONNECT: RedisOptions = {
  lazyConnect: true,
  retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
};

/**
 * Publishes fail at once while Redis is unreachable instead of waiting in an unbounded offline
 * queue (~50 emits/s for 45 s, then a `MaxRetriesPerRequestError` for each): REST callers get
 * 503 and retry, best-effort emits reach local sockets only. A publish in flight when the
 * connection drops fails at once too, and one without an answer after 5 s.
 */
const PUBLISHER: RedisOptions = {
  ...RECONNECT,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  commandTimeout: 5000,
};

/**
 * The subscriber only ever sends (un)subscribe commands, a handful: queued while Redis is away
 * and never dropped, so no subscription is lost. ioredis subscribes again on reconnect itself.
 */
const SUBSCRIBER: RedisOptions = { ...RECONNECT, maxRetriesPerRequest: null };

/**
 * The Socket.IO Redis adapter's two connections, built so that Redis going away never ends the
 * process: every client has an 'error' listener (ioredis reports each reconnect attempt as one;
 * logged once per outage), and every command the adapter fires without awaiting has its
 * rejection handled (Node ends the process on an unhandled one).
 */
@Injectable()
export class SocketRedisConnection implements OnApplicationShutdown {
  private readonly logger = new Logger(SocketRedisConnection.name);
  readonly publisher: Redis;
  readonly subscriber: Redis;
  /** Adapter commands that failed during the current outage, reported when Redis is back. */
  private lostCommands = 0;
  /** The publisher's socket while publishes of this turn wait in it (`coalescePublishes`). */
  private corked: Redis['stream'] | null = null;

  constructor(config: SignalConfig) {
    this.publisher = new Redis(config.redis.url, { ...PUBLISHER, connectionName: 'signal-pub' });
    this.subscriber = new Redis(config.redis.url, { ...SUBSCRIBER, connectionName: 'signal-sub' });
    this.watch(this.publisher, 'publisher', ['publish']);
    this.coalescePublishes();
    this.watch(this.subscriber, 'subscriber', [
      'subscribe',
      'psubscribe',
      'unsubscribe',
      'punsubscribe',
    ]);
  }

  async connect(): Promise<void> {
    await Promise.all([this.publisher.connect(), this.subscriber.connect()]);
  }

  /** Whether an emit can reach the other instances right now. */
  get canPublish(): boolean {
    return this.publisher.status === 'ready';
  }

  /** For callers that must know their emit went out: 503 `DEPENDENCY_UNAVAILABLE` otherwise. */
  assertCanPublish(): void {
    if (!this.canPublish) {
      throw dependencyUnavailable('redis', 'emits cannot reach the Signal instances');
    }
  }

  /** After the Socket.IO server is closed, which unsubscribes through these connections. */
  onApplicationShutdown(): void {
    this.publisher.disconnect();
    this.subscriber.disconnect();
  }

  private watch(client: Redis, role: string, unawaited: readonly (keyof Redis)[]): void {
    let down = false;
    client.on('error', (error: Error) => {
      if (!down) this.logger.warn(`Redis ${role} connection failed: ${error.message}; retrying`);
      down = true;
    });
    client.on('ready', () => {
      if (down) this.logger.log(`Redis ${role} connected again`);
      if (this.lostCommands > 0) {
        this.logger.warn(
          `${this.lostCommands} Socket.IO Redis commands failed while Redis was away (emits reached only this instance's sockets; clients catch up on reconnect)`,
        );
      }
      down = false;
      this.lostCommands = 0;
    });
    for (const name of unawaited) {
      const command = (client[name] as (...args: unknown[]) => Promise<unknown>).bind(client);
      Object.assign(client, {
        [name]: (...args: unknown[]) => {
          const reply = command(...args);
          reply.catch((error: unknown) => this.commandFailed(role, String(name), error));
          return reply;
        },
      });
    }
  }

  /**
   * Writes the publishes corked in this turn now. For callers that record progress right after
   * publishing (a Kafka offset commit, a settled delivery): a crash after that record and before
   * the turn's end would otherwise lose publishes nobody sends again.
   */
  flushPublishes(): void {
    const stream = this.corked;
    this.corked = null;
    stream?.uncork();
  }

  /**
   * The publishes of one event-loop turn leave in one write: the publisher's socket is corked at
   * the turn's first publish and uncorked once the turn's I/O callbacks have run (setImmediate),
   * or at `flushPublishes`. A system call per publish was the largest single cost of an emit,
   * whether the publishes come from concurrent REST emits or from the records of one Kafka batch;
   * the wait is at most what is left of the turn.
   */
  private coalescePublishes(): void {
    const publish = this.publisher.publish.bind(this.publisher);
    Object.assign(this.publisher, {
      publish: (...args: Parameters<Redis['publish']>) => {
        // None before the first connection; a new one after each reconnect.
        const stream = this.publisher.stream as Redis['stream'] | undefined;
        if (stream && this.corked !== stream) {
          stream.cork();
          this.corked = stream;
          setImmediate(() => {
            if (this.corked === stream) this.corked = null;
            // After `flushPublishes` a no-op, or an early write of a later cork of this turn.
            stream.uncork();
          });
        }
        return publish(...args);
      },
    });
  }

  private commandFailed(role: string, name: string, error: unknown): void {
    if (this.lostCommands === 0) {
      this.logger.warn(`Redis ${role} ${name} failed: ${errorMessage(error)}`);
    }
    this.lostCommands++;
  }
}
