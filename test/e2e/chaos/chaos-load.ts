import { randomUUID } from 'node:crypto';
import { ChannelModel, ConfirmChannel, connect } from 'amqplib';
import { Kafka, logLevel, Producer } from 'kafkajs';
import { legacyV1Example } from '../../fixtures/legacy-v1';
import { aPaymentSucceeded } from '../../support/kafka-activity';
import { TEST_API_KEY } from '../../support/tokens';

/*
 * The load of the chaos suite: four bounded loops on loopback (PHX sends, REST emits to a room,
 * activity messages to Kafka, V1 events to RabbitMQ), each keeping what was accepted so the
 * suite can count it afterwards, and every HTTP answer's status and Retry-After.
 */

/** Which part of the scenario an answer came in, for the report. */
export type ChaosPhase = 'before' | 'outage' | 'recovery' | 'after';

/** An HTTP answer; `status` names what happened instead when none came ("timeout", "no-answer"). */
export interface HttpAnswer {
  status: number | string;
  retryAfter: string | null;
  text: string;
}

/** The contract (SPEC §6): a 2xx, or 503 with Retry-After; never a 500, a hang or a closed door. */
function keepsContract({ status, retryAfter }: HttpAnswer): boolean {
  if (typeof status !== 'number') return false;
  return (status >= 200 && status < 300) || (status === 503 && retryAfter !== null);
}

/** Every HTTP answer of the load, counted by route, phase and status. */
export class HttpAnswers {
  private readonly counts = new Map<string, number>();
  /** The first few answers that broke the contract, whole. */
  readonly breaches: string[] = [];
  breachCount = 0;

  record(route: string, phase: ChaosPhase, answer: HttpAnswer): void {
    const key = [route, phase, answer.status].join('\t');
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    if (keepsContract(answer)) return;
    this.breachCount += 1;
    if (this.breaches.length < 5) {
      const retryAfter =
        answer.retryAfter === null ? 'no Retry-After' : `Retry-After ${answer.retryAfter}`;
      this.breaches.push(
        `${route} (${phase}) → ${answer.status}, ${retryAfter}: ${answer.text.slice(0, 300)}`,
      );
    }
  }

  /** "POST /emit/inapp-noti: before 202×40; outage 202×60, 503×12; …" */
  summary(): string {
    const byRoute = new Map<string, string[]>();
    for (const [key, count] of [...this.counts.entries()].sort()) {
      const [route, phase, status] = key.split('\t');
      const parts = byRoute.get(route) ?? [];
      parts.push(`${phase} ${status}×${count}`);
      byRoute.set(route, parts);
    }
    return [...byRoute.entries()]
      .map(([route, parts]) => `${route}: ${parts.join(', ')}`)
      .join('; ');
  }
}

/**
 * Runs `send` about `perSecond` times a second with at most `maxInFlight` calls pending, until
 * `stop()` or `maxMs`: a loop that ends by itself even when a test forgets it.
 */
class PacedLoop {
  private sequence = 0;
  private readonly inFlight = new Set<Promise<void>>();
  private timer?: NodeJS.Timeout;
  private deadline?: NodeJS.Timeout;

  constructor(
    private readonly perSecond: number,
    private readonly maxInFlight: number,
    private readonly send: (n: number) => Promise<void>,
  ) {}

  start(maxMs: number): void {
    this.timer = setInterval(() => {
      if (this.inFlight.size >= this.maxInFlight) return;
      const call = this.send(this.sequence++)
        .catch(() => undefined)
        .finally(() => this.inFlight.delete(call));
      this.inFlight.add(call);
    }, 1000 / this.perSecond);
    this.deadline = setTimeout(() => clearInterval(this.timer), maxMs);
  }

  /** Stops sending and waits for the calls in flight. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    clearTimeout(this.deadline);
    await Promise.all(this.inFlight);
  }
}

// A call that takes longer is a failure of its own ("timeout"); it also bounds each loop's stop().
const CALL_TIMEOUT_MS = 10_000;

function withinCallTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer in ${CALL_TIMEOUT_MS} ms`)),
      CALL_TIMEOUT_MS,
    );
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<HttpAnswer> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': TEST_API_KEY, ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
    });
    const text = await response.text();
    return { status: response.status, retryAfter: response.headers.get('retry-after'), text };
  } catch (error) {
    const name = (error as Error).name === 'TimeoutError' ? 'timeout' : 'no-answer';
    return { status: name, retryAfter: null, text: (error as Error).message };
  }
}

export interface ChaosTargets {
  appUrl: string;
  kafkaBrokers: string[];
  activityTopic: string;
  rabbitmqUrl: string;
  /** The socket listening on `room` gets `topic`. */
  room: string;
  topic: string;
  /** Tags every id the load makes, so scenarios never share one. */
  runId: string;
}

/** `POST /socket/websocket/clients/rooms/{room}/send` of `{ topic, payload: { seq } }`. */
export function sendToRoom(
  { appUrl, room, topic }: Pick<ChaosTargets, 'appUrl' | 'room' | 'topic'>,
  seq: number,
): Promise<HttpAnswer> {
  const url = `${appUrl}/socket/websocket/clients/rooms/${encodeURIComponent(room)}/send`;
  return post(url, { topic, payload: { seq } });
}

export const CHAOS_ACTION_CODE = 'CHAOS:NOTICE';
export const LEGACY_ACTION_CODE = 'PAYMENT:PAYMENT_COMPLETED';
export const ACTIVITY_RECIPIENTS = ['chaos-reader-a', 'chaos-reader-b'];

/** The four loops; `phase` is stamped on every answer recorded from now on. */
export class ChaosLoad {
  phase: ChaosPhase = 'before';
  readonly answers = new HttpAnswers();
  /** Idempotency key → request id of every PHX send answered 202. */
  readonly acceptedSends = new Map<string, string>();
  /** REST emits answered 2xx. */
  acceptedEmits = 0;
  /** eventIds the broker acknowledged. */
  readonly producedActivities: string[] = [];
  activityFailures = 0;
  /** eventIds RabbitMQ confirmed. */
  readonly publishedLegacyEvents: string[] = [];
  legacyFailures = 0;

  private readonly loops: PacedLoop[];
  private readonly producer: Producer;
  private rabbit?: { connection: ChannelModel; channel: ConfirmChannel };

  constructor(private readonly targets: ChaosTargets) {
    this.producer = new Kafka({
      clientId: `chaos-load-${targets.runId}`,
      brokers: targets.kafkaBrokers,
      logLevel: logLevel.NOTHING,
      connectionTimeout: 1000,
      requestTimeout: 3000,
      retry: { retries: 2, initialRetryTime: 200 },
    }).producer();
    this.loops = [
      new PacedLoop(20, 20, (n) => this.sendPhx(n)),
      new PacedLoop(20, 20, (n) => this.emitToRoom(n)),
      new PacedLoop(10, 1, (n) => this.produceActivity(n)),
      new PacedLoop(5, 1, (n) => this.publishLegacyEvent(n)),
    ];
  }

  async start(maxMs: number): Promise<void> {
    await this.producer.connect();
    for (const loop of this.loops) loop.start(maxMs);
  }

  async stop(): Promise<void> {
    await Promise.all(this.loops.map((loop) => loop.stop()));
    await this.producer.disconnect().catch(() => undefined);
    await this.rabbit?.connection.close().catch(() => undefined);
    this.rabbit = undefined;
  }

  /** PHX Producer: in-app and e-mail to one of ten users; the key is in the e-mail's subject. */
  private async sendPhx(n: number): Promise<void> {
    const key = `chaos-${this.targets.runId}-phx-${n}`;
    const answer = await post(
      `${this.targets.appUrl}/emit/inapp-noti`,
      {
        user_id: `chaos-user-${n % 10}`,
        hostname: 'portal.phx.vn',
        action_code: CHAOS_ACTION_CODE,
        sendEmailV3: {
          emailType: 'transaction-basic',
          to: `chaos-user-${n % 10}@example.com`,
          subject: key,
          title: 'Chaos',
          previewText: 'Chaos',
          content: `Chaos ${n}`,
        },
      },
      { 'idempotency-key': key },
    );
    this.answers.record('POST /emit/inapp-noti', this.phase, answer);
    if (answer.status === 202) {
      this.acceptedSends.set(key, (JSON.parse(answer.text) as { id: string }).id);
    }
  }

  private async emitToRoom(n: number): Promise<void> {
    const answer = await sendToRoom(this.targets, n);
    this.answers.record('POST /rooms/{room}/send', this.phase, answer);
    if (keepsContract(answer) && answer.status !== 503) this.acceptedEmits += 1;
  }

  /** An activity message to two users; it counts as produced once the broker acknowledged it. */
  private async produceActivity(n: number): Promise<void> {
    const eventId = `chaos-${this.targets.runId}-activity-${n}`;
    const message = aPaymentSucceeded({
      eventId,
      recipientScope: 'users',
      recipientIds: ACTIVITY_RECIPIENTS,
    });
    try {
      await withinCallTimeout(
        this.producer.send({
          topic: this.targets.activityTopic,
          acks: -1,
          messages: [{ key: eventId, value: JSON.stringify(message) }],
        }),
      );
      this.producedActivities.push(eventId);
    } catch {
      this.activityFailures += 1;
    }
  }

  /** A V1 payment event to one user, published as V1 services do; counted once confirmed. */
  private async publishLegacyEvent(n: number): Promise<void> {
    const event = legacyV1Example('payment');
    event.eventId = `chaos-${this.targets.runId}-v1-${n}-${randomUUID().slice(0, 8)}`;
    event.payload.notification.targetUsers = [`chaos-v1-user-${n % 5}`];
    try {
      const { channel } = await withinCallTimeout(this.rabbitChannel());
      const body = Buffer.from(JSON.stringify(event));
      channel.publish('notifications.exchange', event.eventType, body, { persistent: true });
      await withinCallTimeout(channel.waitForConfirms());
      this.publishedLegacyEvents.push(event.eventId);
    } catch {
      this.legacyFailures += 1;
      const broken = this.rabbit;
      this.rabbit = undefined;
      await broken?.connection.close().catch(() => undefined);
    }
  }

  /** The publisher's connection, reopened after the broker dropped it. */
  private async rabbitChannel() {
    if (!this.rabbit) {
      const connection = await connect(this.targets.rabbitmqUrl, { timeout: 1000 });
      // A broker going away closes it with an error: the next publish reconnects.
      connection.on('error', () => undefined);
      const channel = await connection.createConfirmChannel();
      channel.on('error', () => undefined);
      this.rabbit = { connection, channel };
    }
    return this.rabbit;
  }
}
