import { createServer } from 'node:net';
import type { TestSchema } from '@signal/persistence/testing/test-schema';
import { Channel, ChannelModel, ConfirmChannel, connect, GetMessage } from 'amqplib';
import { Admin } from 'kafkajs';
import request from 'supertest';
import { LegacyRabbitBroker } from '../../../apps/signal/src/legacy-rabbit/legacy-rabbit.broker';
import {
  LegacyV1Envelope,
  LegacyV1Event,
  legacyV1Example,
  LegacyV1Example,
} from '../../fixtures/legacy-v1';
import { createTopic, testKafka } from '../../support/kafka';
import { SignalProcess, spawnSignal, waitUntilServing } from '../../support/signal-process';
import {
  createTestSchema,
  SignalTestApp,
  socketRedisKeyOf,
  startSignalTestApp,
} from '../../support/signal-test-app';
import { TestServices } from '../../support/test-services';
import { TEST_API_KEY } from '../../support/tokens';
import { uniqueName } from '../../support/unique-name';
import { waitFor } from '../../support/wait-for';

const EXCHANGE = 'notifications.exchange';

/** What the Producer stored for one (event, user). */
export interface PhxRequestRow {
  user_id: string;
  action_code: string;
  type: string;
  status: string;
  /** The `x-correlation-id` the adapter sent it with. */
  correlation_id: string | null;
  payload: {
    pushNotiMobile?: { title: string; module_code: string; app: string; payload: AppPayload };
    inApp?: { title: string; message: string; payload: AppPayload };
  };
}

export interface AppPayload {
  redirectUrl?: string;
  contentId?: string;
  /** Absent for events without one (the seed's minimum envelope). */
  eventId?: string;
  data: Record<string, unknown>;
}

export interface RecordRow {
  user_id: string;
  action_code: string;
  in_center: boolean;
  payload: AppPayload;
  channel_status: Record<string, { status: string }>;
}

export interface DeadLetter {
  /** The message body as dead-lettered. */
  body: string;
  event: unknown;
  reason: string;
  stage: string;
  /** The routing key the event was first published with. */
  routingKey: string;
  correlationId: string | undefined;
}

/** A free TCP port, so the adapter's default Producer URL (127.0.0.1:$PORT) is known up front. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return address.port;
}

/**
 * One test file's Signal app with the legacy adapter on, against the real stack: its own
 * schema, its own RabbitMQ queues bound with a routing-key prefix of its own (other files'
 * events never reach it), its own Kafka topics for the Producer → Consumer hand-off.
 */
export class LegacyRabbitHarness {
  readonly routingPrefix: string;
  readonly queue: string;
  signal?: SignalTestApp;
  /** The app as its own OS process (see {@link spawn}), whose log lines a test can read. */
  process?: SignalProcess;
  private connection?: ChannelModel;
  private publisher?: ConfirmChannel;
  private inspector?: Channel;
  private sequence = 0;

  private constructor(
    readonly db: TestSchema,
    private readonly admin: Admin,
    private readonly topic: string,
    private readonly env: Record<string, string>,
    private readonly brokerUrl: string,
  ) {
    this.routingPrefix = env.LEGACY_RABBIT_BINDING_PATTERN.replace(/\.#$/, '');
    this.queue = env.RABBITMQ_QUEUE;
  }

  /**
   * `brokerUrl`: the test's own way to RabbitMQ (publishing, inspecting queues), which may differ
   * from the app's `RABBITMQ_URL` (e.g. a proxy the test cuts).
   */
  static async create(
    label: string,
    env: Record<string, string> = {},
    brokerUrl = TestServices.rabbitmqUrl,
  ) {
    const topic = uniqueName(`it.legacy-${label}`);
    const admin = testKafka(uniqueName(`it-legacy-${label}`)).admin();
    await admin.connect();
    await createTopic(admin, topic);
    await createTopic(admin, `${topic}.dlq`);
    const db = await createTestSchema(`legacy-${label}`);
    const harness = new LegacyRabbitHarness(
      db,
      admin,
      topic,
      {
        PORT: String(await freePort()),
        RABBITMQ_ENABLED: 'true',
        RABBITMQ_QUEUE: uniqueName(`it.legacy-${label}`),
        LEGACY_RABBIT_BINDING_PATTERN: `${uniqueName(`it-${label}`)}.#`,
        LEGACY_SCHEDULE_POLL_MS: '200',
        KAFKA_ENABLED: 'true',
        KAFKA_TOPIC_PHX_PUSH: topic,
        KAFKA_TOPIC_ACTIVITY_NOTIFICATION: uniqueName(`it.legacy-${label}-activity`),
        APP_ENV_KAFKA_GROUP_ID: uniqueName(`IT_LEGACY_${label}`),
        KAFKA_FROM_BEGINNING: 'true',
        NOTIFICATION_REDIRECT_LOAPHUONG: '/announcements/{contentId}',
        NOTIFICATION_REDIRECT_TASK: '/tasks/{contentId}',
        NOTIFICATION_REDIRECT_PAYMENT: '/payments/{contentId}',
        ...env,
      },
      brokerUrl,
    );
    await harness.reconnect();
    return harness;
  }

  /** (Re)opens the test's own RabbitMQ connection, e.g. after the broker restarted. */
  async reconnect(): Promise<void> {
    const connection = await connect(this.brokerUrl);
    // A broker restart closes it with an error event; the test reconnects explicitly.
    connection.on('error', () => undefined);
    this.connection = connection;
    this.publisher = await connection.createConfirmChannel();
    this.inspector = await connection.createChannel();
    for (const channel of [this.publisher, this.inspector]) channel.on('error', () => undefined);
  }

  /** Starts (or restarts) the app: same schema, queues, topics and port. */
  async start(): Promise<SignalTestApp> {
    this.signal = await startSignalTestApp(this.db, this.env);
    return this.signal;
  }

  /** Starts the app as its own process instead (from source): same schema, queues, topics and port. */
  async spawn(): Promise<SignalProcess> {
    const app = spawnSignal({
      LOG_LEVEL: 'log',
      DATABASE_URL: this.db.options.url,
      DATABASE_SCHEMA: this.db.options.schema,
      KAFKA_BROKERS: TestServices.kafkaBrokers.join(','),
      RABBITMQ_URL: TestServices.rabbitmqUrl,
      REDIS_URL: TestServices.redisUrl,
      SOCKET_IO_REDIS_KEY: socketRedisKeyOf(this.db),
      ...this.env,
    });
    this.process = app;
    await waitUntilServing(app, this.url);
    return app;
  }

  async stop(): Promise<void> {
    await this.signal?.close();
    this.signal = undefined;
    this.process?.child.kill('SIGTERM');
    await this.process?.exited;
    this.process = undefined;
  }

  /** Where the app serves HTTP (PORT is fixed per harness). */
  get url(): string {
    return `http://127.0.0.1:${this.env.PORT}`;
  }

  get broker(): LegacyRabbitBroker {
    if (!this.signal) throw new Error('the app is not started');
    return this.signal.app.get(LegacyRabbitBroker);
  }

  http() {
    if (this.signal) return request(this.signal.app.getHttpServer());
    if (this.process) return request(this.url);
    throw new Error('the app is not started');
  }

  /** Enables an action code for the given PHX channels (admin REST of the Producer). */
  async enable(actionCode: string, channels: ('push' | 'in_app')[] = ['push', 'in_app']) {
    await this.http()
      .put(`/admin/notification-settings/${actionCode}`)
      .set('x-api-key', TEST_API_KEY)
      .send({ enabled: true, channels, critical: false })
      .expect((response) => {
        if (response.status >= 300) throw new Error(`setting refused: ${response.text}`);
      });
  }

  async addRoleMember(role: string, userId: string) {
    await this.http()
      .put(`/admin/roles/${role}/members/${userId}`)
      .set('x-api-key', TEST_API_KEY)
      .expect(204);
  }

  /** A seed example with an eventId of its own, so files and cases never share one. */
  example(name: LegacyV1Example, adjust: (event: LegacyV1Event) => void = () => {}) {
    const event = legacyV1Example(name);
    event.eventId = `${event.eventId}-${this.routingPrefix}-${++this.sequence}`;
    adjust(event);
    return event;
  }

  /** The routing key a V1 service publishes an event of this type with. */
  routingKeyOf(eventType: string): string {
    return `${this.routingPrefix}.${eventType}`;
  }

  /** Publishes as a V1 service does, and resolves once the broker confirmed it. */
  async publish(
    event: LegacyV1Envelope | string,
    { eventType = 'any.Event', correlationId }: { eventType?: string; correlationId?: string } = {},
  ): Promise<void> {
    const content = typeof event === 'string' ? event : JSON.stringify(event);
    const routingKey = this.routingKeyOf(typeof event === 'string' ? eventType : event.eventType);
    const publisher = this.publisher!;
    publisher.publish(EXCHANGE, routingKey, Buffer.from(content), {
      persistent: true,
      correlationId,
    });
    await publisher.waitForConfirms();
  }

  /** Publishes many events in one go, and resolves once the broker confirmed them all. */
  async publishAll(events: LegacyV1Envelope[]): Promise<void> {
    const publisher = this.publisher!;
    for (const event of events) {
      publisher.publish(
        EXCHANGE,
        this.routingKeyOf(event.eventType),
        Buffer.from(JSON.stringify(event)),
        {
          persistent: true,
        },
      );
    }
    await publisher.waitForConfirms();
  }

  async requests(): Promise<PhxRequestRow[]> {
    return this.db.dataSource.query(
      `SELECT user_id, action_code, type, status, correlation_id, payload FROM phx_push_requests
        ORDER BY created_at`,
    );
  }

  async requestsFor(userId: string): Promise<PhxRequestRow[]> {
    return (await this.requests()).filter((row) => row.user_id === userId);
  }

  async requestsOf(eventId: string): Promise<PhxRequestRow[]> {
    return (await this.requests()).filter(
      (row) => (row.payload.inApp ?? row.payload.pushNotiMobile)?.payload.eventId === eventId,
    );
  }

  async recordsOf(eventId: string): Promise<RecordRow[]> {
    return this.records(`payload->>'eventId' = $1`, eventId);
  }

  /** Waits for `count` records of the event whose channels all have their outcome. */
  async settledRecordsOf(eventId: string, count: number): Promise<RecordRow[]> {
    return this.settled(`${count} settled records of ${eventId}`, count, () =>
      this.recordsOf(eventId),
    );
  }

  /** Waits for `count` records of the user whose channels all have their outcome. */
  async settledRecordsFor(userId: string, count: number): Promise<RecordRow[]> {
    return this.settled(`${count} settled records for ${userId}`, count, () =>
      this.records('user_id = $1', userId),
    );
  }

  private records(where: string, value: string): Promise<RecordRow[]> {
    return this.db.dataSource.query(
      `SELECT user_id, action_code, in_center, payload, channel_status FROM phx_notification_records
        WHERE ${where} ORDER BY user_id, created_at`,
      [value],
    );
  }

  private async settled(
    description: string,
    count: number,
    records: () => Promise<RecordRow[]>,
  ): Promise<RecordRow[]> {
    return waitFor(
      description,
      async () => {
        const rows = await records();
        const settled = rows.filter((row) =>
          Object.values(row.channel_status).every(
            ({ status }) => status !== 'pending' && status !== 'sending',
          ),
        );
        return settled.length === count ? settled : undefined;
        // The Consumer's group may still be joining on a busy machine.
      },
      { timeoutMs: 45_000 },
    );
  }

  /**
   * Waits until the adapter recorded the event as delivered to every target. `eventKey`: its
   * `eventId`, or `contentKey(event)` for an event without one.
   */
  async processed(eventKey: string): Promise<void> {
    await waitFor(
      `event ${eventKey} to be processed`,
      async () => {
        const rows: unknown[] = await this.db.dataSource.query(
          `SELECT 1 FROM legacy_processed_events WHERE event_id = $1`,
          [eventKey],
        );
        return rows.length > 0 ? true : undefined;
      },
      { timeoutMs: 45_000 },
    );
  }

  async messagesIn(queue: string): Promise<number> {
    return (await this.inspector!.checkQueue(queue)).messageCount;
  }

  /** Takes every message now in the dead-letter queue. */
  async takeDeadLetters(): Promise<DeadLetter[]> {
    const taken: DeadLetter[] = [];
    for (;;) {
      const message: GetMessage | false = await this.inspector!.get(`${this.queue}.dlq`, {
        noAck: true,
      });
      if (!message) return taken;
      const headers = (message.properties.headers ?? {}) as Record<string, unknown>;
      const text = message.content.toString('utf8');
      let event: unknown = text;
      try {
        event = JSON.parse(text);
      } catch {
        // Bad JSON is dead-lettered as received.
      }
      taken.push({
        body: text,
        event,
        reason: String(headers['x-signal-reason']),
        stage: String(headers['x-signal-stage']),
        routingKey: String(headers['x-signal-original-routing-key']),
        correlationId: message.properties.correlationId as string | undefined,
      });
    }
  }

  async close(): Promise<void> {
    await this.stop();
    const queues = ['', '.delivery', '.dlq', '.retry'].map((suffix) => `${this.queue}${suffix}`);
    for (const queue of queues) await this.inspector?.deleteQueue(queue);
    await this.inspector?.deleteExchange(`${this.queue}.dlx`);
    await this.connection?.close();
    await this.admin
      .deleteTopics({ topics: [this.topic, `${this.topic}.dlq`] })
      .catch(() => undefined);
    await this.admin.disconnect();
    await this.db.drop();
  }
}
