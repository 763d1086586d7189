import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { NotificationWebSocketRooms } from '@signal/core/websocket/rooms';
import { BenchPayload, benchUserId } from './protocol';

const REQUEST_TIMEOUT_MS = 10_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What a sending phase did: requests answered 202, and the rest. */
export interface SendReport {
  accepted: number;
  failed: number;
  /** From the first request to the last one issued, in seconds. */
  sendSeconds: number;
  /** Date.now() when the first request was issued. */
  firstSentAt: number;
  /** Round trip of each answered request (POST to 202), in ms. */
  ackMs: number[];
}

/** Posts emits to a server's REST endpoints over keep-alive connections, as another service would. */
export class EmitDriver {
  private readonly agent: Agent;
  private readonly target: URL;
  private seq = 0;

  constructor(
    baseUrl: string,
    private readonly apiKey: string,
    maxSockets: number,
  ) {
    this.target = new URL(baseUrl);
    // FIFO keeps every pooled connection in use, so none idles past the server's keep-alive
    // timeout and has to be reopened mid-phase: a busy Node server accepts about one new
    // connection per event-loop iteration, which shows up as seconds of latency.
    this.agent = new Agent({ keepAlive: true, maxSockets, scheduling: 'fifo' });
  }

  /** To the room of user `index`; resolves true when the server answered 202. */
  toUser(index: number, topic: string): Promise<boolean> {
    const room = encodeURIComponent(NotificationWebSocketRooms.recipient(benchUserId(index)));
    return this.post(`/socket/websocket/clients/rooms/${room}/send`, topic);
  }

  broadcast(topic: string): Promise<boolean> {
    return this.post('/socket/websocket/clients/broadcast', topic);
  }

  close(): void {
    this.agent.destroy();
  }

  private post(path: string, topic: string): Promise<boolean> {
    const payload: BenchPayload = { sentAt: Date.now(), seq: this.seq++ };
    const body = JSON.stringify({ topic, payload });
    return new Promise((resolve) => {
      const req = request(
        {
          host: this.target.hostname,
          port: this.target.port,
          path,
          method: 'POST',
          agent: this.agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'x-api-key': this.apiKey,
          },
        },
        (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode === 202));
          response.on('error', () => resolve(false));
        },
      );
      req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy());
      req.on('error', () => resolve(false));
      req.end(body);
    });
  }
}

/** Counts outcomes of requests issued over time; `settle()` waits for the ones in flight. */
class Sender {
  accepted = 0;
  failed = 0;
  inFlight = 0;
  private readonly startedAt = performance.now();
  private lastIssuedAt = this.startedAt;
  readonly firstSentAt = Date.now();
  private readonly pending = new Set<Promise<void>>();
  private readonly ackMs: number[] = [];

  /** Resolves once the request is answered (or failed). */
  issue(send: () => Promise<boolean>): Promise<void> {
    this.inFlight += 1;
    const issuedAt = performance.now();
    this.lastIssuedAt = issuedAt;
    const done = send().then((ok) => {
      this.inFlight -= 1;
      if (ok) {
        this.accepted += 1;
        this.ackMs.push(performance.now() - issuedAt);
      } else {
        this.failed += 1;
      }
      this.pending.delete(done);
    });
    this.pending.add(done);
    return done;
  }

  elapsedMs(): number {
    return performance.now() - this.startedAt;
  }

  async settle(): Promise<SendReport> {
    await Promise.all([...this.pending]);
    return {
      accepted: this.accepted,
      failed: this.failed,
      sendSeconds: (this.lastIssuedAt - this.startedAt) / 1000,
      firstSentAt: this.firstSentAt,
      ackMs: this.ackMs,
    };
  }
}

const randomUser = (clients: number) => Math.floor(Math.random() * clients);

/**
 * `rate` emits per second for `seconds`, each to a random user's room, on a schedule that
 * catches up after a slow tick. With `maxInFlight` unanswered requests it stops issuing and
 * falls behind instead, which shows as a lower achieved rate; it gives up `graceMs` after the end.
 */
export async function sendAtFixedRate(
  driver: EmitDriver,
  topic: string,
  { rate, seconds, clients, maxInFlight, graceMs = 5_000 }: FixedRateOptions,
): Promise<SendReport & { issued: number }> {
  const total = Math.round(rate * seconds);
  const sender = new Sender();
  let issued = 0;
  while (issued < total && sender.elapsedMs() < seconds * 1000 + graceMs) {
    const due = Math.min(total, Math.floor((sender.elapsedMs() / 1000) * rate));
    while (issued < due && sender.inFlight < maxInFlight) {
      void sender.issue(() => driver.toUser(randomUser(clients), topic));
      issued += 1;
    }
    await sleep(2);
  }
  return { ...(await sender.settle()), issued };
}

export interface FixedRateOptions {
  rate: number;
  seconds: number;
  clients: number;
  maxInFlight: number;
  graceMs?: number;
}

/** `total` emits to random users' rooms, `concurrency` requests in flight, as fast as they are answered. */
export async function sendAsFastAsPossible(
  driver: EmitDriver,
  topic: string,
  { total, clients, concurrency }: { total: number; clients: number; concurrency: number },
): Promise<SendReport> {
  const sender = new Sender();
  let issued = 0;
  const lane = async () => {
    while (issued < total) {
      issued += 1;
      await sender.issue(() => driver.toUser(randomUser(clients), topic));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return sender.settle();
}

/** `count` broadcasts, one every `intervalMs`. */
export async function sendBroadcasts(
  driver: EmitDriver,
  topic: string,
  { count, intervalMs }: { count: number; intervalMs: number },
): Promise<SendReport> {
  const sender = new Sender();
  for (let index = 0; index < count; index += 1) {
    await sleep(Math.max(0, index * intervalMs - sender.elapsedMs()));
    void sender.issue(() => driver.broadcast(topic));
  }
  return sender.settle();
}
