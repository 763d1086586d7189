import {
  NotificationCreatedPayload,
  NotificationWebSocketTopics,
  ReplayTruncatedPayload,
} from '@signal/core';
import type { TestSchema } from '@signal/persistence/testing/test-schema';
import { Admin, Producer } from 'kafkajs';
import { Socket } from 'socket.io-client';
import { freePort } from '../../support/free-port';
import { createTopic, testKafka, waitForStableGroup } from '../../support/kafka';
import { aPaymentSucceeded, waitForCommittedToLogEnd } from '../../support/kafka-activity';
import { SignalProcess, spawnSignal, waitUntilServing } from '../../support/signal-process';
import { createTestSchema } from '../../support/signal-test-app';
import { connectSocket, settle } from '../../support/socket-client';
import { TestServices } from '../../support/test-services';
import { TEST_API_KEY, TEST_JWT_SECRET, userToken } from '../../support/tokens';
import { uniqueName } from '../../support/unique-name';
import { waitFor } from '../../support/wait-for';

const MESSAGES = 3_000;
const KEYS = 60;
const USERS = { onKilled: 'u-on-killed', onSurvivor: 'u-on-survivor' };

/** Every notification id a client got, live, replayed or through REST catch-up. */
class Inbox {
  readonly ids = new Set<string>();
  lastId: string | null = null;

  constructor(
    readonly userId: string,
    private readonly token = userToken({ sub: userId }, { expiresIn: 3600 }),
  ) {}

  /** Connects to `baseUrl`, presenting the last id seen, and follows a truncated replay over REST. */
  async connect(baseUrl: string): Promise<Socket> {
    const auth = { token: this.token, ...(this.lastId ? { lastNotificationId: this.lastId } : {}) };
    return connectSocket(baseUrl, auth, (socket) => {
      socket.on(NotificationWebSocketTopics.NOTIFICATION_CREATED, (n: NotificationCreatedPayload) =>
        this.receive(n.id),
      );
      socket.on(
        NotificationWebSocketTopics.REPLAY_TRUNCATED,
        (truncated: ReplayTruncatedPayload) => void this.catchUp(baseUrl, truncated),
      );
    });
  }

  private receive(id: string) {
    this.ids.add(id);
    this.lastId = id;
  }

  private async catchUp(baseUrl: string, { after, cursor }: ReplayTruncatedPayload) {
    for (let next: string | null = cursor; next !== null;) {
      const response = await fetch(
        `${baseUrl}/notifications/catch-up?limit=500&after=${after}&cursor=${next}`,
        { headers: { authorization: `Bearer ${this.token}` } },
      );
      const page = (await response.json()) as {
        items: { id: string }[];
        nextCursor: string | null;
      };
      page.items.forEach((item) => this.ids.add(item.id));
      next = page.nextCursor;
    }
  }
}

describe('replay across two instances, one killed mid-stream (real Kafka, PostgreSQL, Redis, processes)', () => {
  const topic = uniqueName('it.activity-two-instances');
  const groupId = uniqueName('IT_TWO_INSTANCES_GROUP');
  let db: TestSchema;
  let admin: Admin;
  let producer: Producer;
  const running: SignalProcess[] = [];

  const startInstance = async () => {
    const port = await freePort();
    const app = spawnSignal({
      PORT: String(port),
      LOG_LEVEL: 'warn',
      DATABASE_URL: db.options.url,
      DATABASE_SCHEMA: db.options.schema,
      KAFKA_BROKERS: TestServices.kafkaBrokers.join(','),
      KAFKA_TOPIC_ACTIVITY_NOTIFICATION: topic,
      APP_ENV_KAFKA_GROUP_ID: groupId,
      KAFKA_FROM_BEGINNING: 'true',
      KAFKA_PARTITIONS_CONCURRENCY: '3',
      // The killed instance's partitions move after 6 s; its rows are pushed again on redelivery.
      KAFKA_SESSION_TIMEOUT_MS: '6000',
      SIGNAL_REPLAY_OVERLAP_MS: '20000',
      SIGNAL_REPLAY_LIMIT: '1000',
      RABBITMQ_ENABLED: 'false',
      REDIS_URL: TestServices.redisUrl,
      SOCKET_IO_REDIS_KEY: `socket.io.${db.options.schema}`,
      SIGNAL_JWT_SECRET: TEST_JWT_SECRET,
      SIGNAL_API_KEYS: TEST_API_KEY,
    });
    running.push(app);
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitUntilServing(app, baseUrl, '/health/live');
    return { app, baseUrl };
  };

  const storedIdsOf = async (userId: string) => {
    const rows: { id: string }[] = await db.dataSource.query(
      `SELECT id FROM activity_notifications WHERE recipient_scope = 'users' AND recipient_id = $1`,
      [userId],
    );
    return rows.map((row) => row.id);
  };

  beforeAll(async () => {
    db = await createTestSchema('two-instances');
    const kafka = testKafka('it-two-instances');
    admin = kafka.admin();
    producer = kafka.producer();
    await Promise.all([admin.connect(), producer.connect()]);
    await createTopic(admin, topic, 6);
  });

  afterEach(() => {
    for (const app of running.splice(0)) if (app.child.exitCode === null) app.child.kill('SIGKILL');
  });

  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic, `${topic}.dlq`] }).catch(() => undefined);
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await Promise.all([admin.disconnect(), producer.disconnect()]);
    await db.drop();
  });

  it("should bring every stored row to both clients: the survivor's live, the killed instance's after reconnecting", async () => {
    const [doomed, survivor] = await Promise.all([startInstance(), startInstance()]);
    await waitFor(
      'both instances in the group',
      async () => ((await waitForStableGroup(admin, groupId)).length === 2 ? true : undefined),
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    const onKilled = new Inbox(USERS.onKilled);
    const onSurvivor = new Inbox(USERS.onSurvivor);
    const killedSocket = await onKilled.connect(doomed.baseUrl);
    const survivorSocket = await onSurvivor.connect(survivor.baseUrl);
    const killedSocketGone = new Promise((resolve) => killedSocket.once('disconnect', resolve));

    let produced = 0;
    const produce = async (count: number) => {
      await producer.send({
        topic,
        messages: Array.from({ length: count }, (_, index) => {
          const n = produced + index;
          return {
            key: `order-${n % KEYS}`,
            value: JSON.stringify(
              aPaymentSucceeded({
                recipientScope: 'users',
                recipientIds: [USERS.onKilled, USERS.onSurvivor],
                eventId: `two-instances-${n}`,
              }),
            ),
          };
        }),
      });
      produced += count;
    };
    // Bursts: every partition gets a large batch, both instances insert at once (their seqs
    // interleave) and push what each committed. The kill lands among the second burst's batches.
    const burst = MESSAGES / 3;
    await produce(burst);
    await waitFor('the first burst on the client of the doomed instance', () =>
      onKilled.ids.size === burst ? true : undefined,
    );
    await produce(burst);
    await waitFor('the second burst to begin reaching it', () =>
      onKilled.ids.size > burst ? true : undefined,
    );
    doomed.app.child.kill('SIGKILL');
    expect(await doomed.app.exited).toBe('SIGKILL');
    await killedSocketGone;
    const receivedBeforeKill = onKilled.ids.size;
    const reconnected = await onKilled.connect(survivor.baseUrl);
    await produce(burst);

    await waitForCommittedToLogEnd(admin, groupId, topic);
    // Delivered (and replayed) rows travel over sockets after the commit; give them a moment.
    await settle(1_000);
    reconnected.close();
    survivorSocket.close();

    const storedForKilled = await storedIdsOf(USERS.onKilled);
    expect(receivedBeforeKill).toBeLessThan(MESSAGES);
    const storedForSurvivor = await storedIdsOf(USERS.onSurvivor);
    expect([storedForKilled.length, storedForSurvivor.length]).toEqual([MESSAGES, MESSAGES]);
    expect(storedForSurvivor.filter((id) => !onSurvivor.ids.has(id))).toEqual([]);
    expect(storedForKilled.filter((id) => !onKilled.ids.has(id))).toEqual([]);
  }, 150_000);
});
