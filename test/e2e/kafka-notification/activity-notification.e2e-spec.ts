import {
  ACTIVITY_NOTIFICATION_MAX_RECIPIENT_IDS,
  DeadLetterHeaders,
  NotificationWebSocketTopics,
} from '@signal/core';
import type { TestSchema } from '@signal/persistence/testing/test-schema';
import { Admin, Kafka, Producer } from 'kafkajs';
import { Socket } from 'socket.io-client';
import { createTopic, testKafka } from '../../support/kafka';
import {
  aPaymentSucceeded,
  readTopic,
  waitForCommittedToLogEnd,
} from '../../support/kafka-activity';
import { createTestSchema, SignalTestApp, startSignalTestApp } from '../../support/signal-test-app';
import { collect, connectSocket, settle, waitForCount } from '../../support/socket-client';
import { TcpProxy } from '../../support/tcp-proxy';
import { userToken } from '../../support/tokens';
import { uniqueName } from '../../support/unique-name';
import { waitFor } from '../../support/wait-for';

interface Row {
  recipient_id: string;
  content: string;
  action_url: string | null;
  dedup_key: string;
}

describe('activity notifications: Kafka → PostgreSQL → Socket.IO (real Kafka, PostgreSQL, Redis)', () => {
  const topic = uniqueName('it.activity');
  const dlq = `${topic}.dlq`;
  const groupId = uniqueName('IT_ACTIVITY_GROUP');
  let db: TestSchema;
  let postgresProxy: TcpProxy;
  let signal: SignalTestApp;
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;

  const rows = (where = 'true') =>
    db.dataSource.query<Row[]>(
      `SELECT recipient_id, content, action_url, dedup_key FROM activity_notifications WHERE ${where} ORDER BY seq`,
    );
  const produce = (values: unknown[], headers?: Record<string, string>) =>
    producer.send({
      topic,
      messages: values.map((value, index) => ({
        key: `key-${index % 3}`,
        value: typeof value === 'string' ? value : JSON.stringify(value),
        headers,
      })),
    });

  const messagesIn = async (name: string) =>
    (await admin.fetchTopicOffsets(name)).reduce((sum, p) => sum + Number(p.high), 0);

  beforeAll(async () => {
    db = await createTestSchema('activity-kafka');
    postgresProxy = new TcpProxy('127.0.0.1', 5432);
    await postgresProxy.start();
    kafka = testKafka('it-activity');
    admin = kafka.admin();
    producer = kafka.producer();
    await Promise.all([admin.connect(), producer.connect()]);
    await createTopic(admin, topic, 3);

    const url = new URL(db.options.url);
    url.port = String(postgresProxy.port);
    signal = await startSignalTestApp(db, {
      DATABASE_URL: url.toString(),
      KAFKA_ENABLED: 'true',
      KAFKA_TOPIC_ACTIVITY_NOTIFICATION: topic,
      APP_ENV_KAFKA_GROUP_ID: groupId,
      APP_ENV_KAFKA_CLIENT_ID: uniqueName('IT_ACTIVITY_CLIENT'),
      KAFKA_FROM_BEGINNING: 'true',
      KAFKA_RETRY_MAX_MS: '1000',
    });
  });

  afterAll(async () => {
    await signal.close();
    await admin.deleteTopics({ topics: [topic, dlq] }).catch(() => undefined);
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await Promise.all([admin.disconnect(), producer.disconnect()]);
    await postgresProxy.stop();
    await db.drop();
  });

  it('should write one row per recipient for each scope, render it, and push it to exactly those sockets', async () => {
    const sockets: Socket[] = await Promise.all(
      [
        { sub: 'teacher-1', organizerId: 'org-scope' },
        { sub: 'cashier-1', merchantIds: ['merchant-scope'] },
        { sub: 'user-a' },
        { sub: 'user-b' },
        { sub: 'bystander' },
      ].map((claims) => connectSocket(signal.baseUrl, { token: userToken(claims) })),
    );
    const received = sockets.map((socket) =>
      collect<Record<string, unknown>>(socket, NotificationWebSocketTopics.NOTIFICATION_CREATED),
    );

    await produce([
      aPaymentSucceeded({ recipientScope: 'org', organizerId: 'org-scope', eventId: 'evt-org' }),
      aPaymentSucceeded({
        recipientScope: 'merchant',
        organizerId: 'org-scope-2',
        merchantId: 'merchant-scope',
        eventId: 'evt-merchant',
      }),
      aPaymentSucceeded({
        recipientScope: 'users',
        organizerId: 'org-scope-3',
        recipientIds: ['user-a', 'user-b', 'user-a'],
        eventId: 'evt-users',
        data: { payment: { id: 'p 9', subject: 'Bán trú' } },
      }),
    ]);

    const written = await waitFor('four rows', async () => {
      const found = await rows(`dedup_key LIKE 'evt-%'`);
      return found.length >= 4 ? found : undefined;
    });
    expect(written.map((row) => [row.dedup_key, row.recipient_id]).sort()).toEqual(
      [
        ['evt-merchant', 'merchant-scope'],
        ['evt-org', 'org-scope'],
        ['evt-users', 'user-a'],
        ['evt-users', 'user-b'],
      ].sort(),
    );
    const forUserA = written.find((row) => row.recipient_id === 'user-a')!;
    expect(forUserA.content).toBe('Chị Lan đã thanh toán thành công Bán trú');
    expect(forUserA.action_url).toBe('/payments/p%209');

    const [teacher, cashier, userA, userB, bystander] = received;
    for (const inbox of [teacher, cashier, userA, userB]) await waitForCount(inbox, 1, 'a push');
    await settle();
    expect([teacher, cashier, userA, userB].map((inbox) => inbox.length)).toEqual([1, 1, 1, 1]);
    expect(bystander).toEqual([]);
    expect(userA[0]).toEqual({
      id: expect.any(String),
      type: 'PAYMENT_SUCCESS',
      organizerId: 'org-scope-3',
      content: 'Chị Lan đã thanh toán thành công Bán trú',
      actionUrl: '/payments/p%209',
      data: { payment: { id: 'p 9', subject: 'Bán trú' } },
      isRead: false,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    sockets.forEach((socket) => socket.close());
  });

  it('should keep one row per recipient however often a message is delivered', async () => {
    const withoutEventId = aPaymentSucceeded({
      organizerId: 'org-dup',
      data: { payment: { id: 'd', subject: 's' } },
    });
    const withHeaderKey = aPaymentSucceeded({ organizerId: 'org-dup-header' });
    await produce([withoutEventId, withoutEventId, withoutEventId]);
    // Same event serialized with another key order: same canonical hash.
    await produce([
      JSON.parse(JSON.stringify(withoutEventId, Object.keys(withoutEventId).reverse())),
    ]);
    await produce([withHeaderKey], { 'idempotency-key': 'header-key-1' });
    await produce([{ ...withHeaderKey, occurredAt: '2026-11-22T09:00:00.000Z' }], {
      'idempotency-key': 'header-key-1',
    });

    await waitForCommittedToLogEnd(admin, groupId, topic);
    expect(await rows(`recipient_id = 'org-dup'`)).toHaveLength(1);
    expect((await rows(`recipient_id = 'org-dup'`))[0].dedup_key).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect((await rows(`recipient_id = 'org-dup-header'`)).map((row) => row.dedup_key)).toEqual([
      'header-key-1',
    ]);
  });

  it("should push a redelivered message's rows again when they are recent: their first delivery may have died between commit and emit", async () => {
    const socket = await connectSocket(signal.baseUrl, {
      token: userToken({ sub: 'redelivered' }),
    });
    const received = collect<{ id: string }>(
      socket,
      NotificationWebSocketTopics.NOTIFICATION_CREATED,
    );
    // What an instance killed right after its commit leaves behind: rows nobody was told about.
    const stored = async (eventId: string, createdAt: string) => {
      const [row]: { id: string }[] = await db.dataSource.query(
        `INSERT INTO activity_notifications (dedup_key, recipient_id, type, recipient_scope, actor_id, actor, content, occurred_at, created_at)
         VALUES ($1, 'redelivered', 'PAYMENT_SUCCESS', 'users', 'a', '{}', 'stored before', now(), $2::timestamptz)
         RETURNING id`,
        [eventId, createdAt],
      );
      return row.id;
    };
    const recent = await stored('evt-redelivered', new Date().toISOString());
    await stored('evt-redelivered-long-ago', '2026-01-01T00:00:00Z');

    await produce(
      ['evt-redelivered', 'evt-redelivered-long-ago', 'evt-redelivered-new'].map((eventId) =>
        aPaymentSucceeded({ recipientScope: 'users', recipientIds: ['redelivered'], eventId }),
      ),
    );
    await waitForCommittedToLogEnd(admin, groupId, topic);
    await waitForCount(received, 2, 'the redelivered and the new row');
    await settle();
    socket.close();

    const [created]: { id: string }[] = await db.dataSource.query(
      `SELECT id FROM activity_notifications WHERE dedup_key = 'evt-redelivered-new'`,
    );
    expect(received.map((payload) => payload.id).sort()).toEqual([recent, created.id].sort());
    expect(await rows(`recipient_id = 'redelivered'`)).toHaveLength(3);
  });

  it('should dead-letter bad JSON, a schema violation and an unknown eventType with their reasons, and keep every valid one', async () => {
    await produce([
      aPaymentSucceeded({ organizerId: 'org-valid-1', eventId: 'valid-1' }),
      '{"eventType": "PAYMENT_SUCCESS", oops',
      aPaymentSucceeded({ organizerId: 'org-valid-2', eventId: 'valid-2' }),
      {
        ...aPaymentSucceeded(),
        recipientScope: 'users',
        recipientIds: [],
        occurredAt: 'yesterday',
      },
      aPaymentSucceeded({ eventType: 'PAYMENT_REFUNDED' as 'PAYMENT_SUCCESS' }),
      aPaymentSucceeded({ organizerId: 'org-valid-3', eventId: 'valid-3' }),
    ]);

    const deadLetters = await readTopic(kafka, dlq, 3);
    const byClass = Object.fromEntries(
      deadLetters.map((letter) => [letter.headers[DeadLetterHeaders.ERROR_CLASS], letter]),
    );
    expect(Object.keys(byClass).sort()).toEqual([
      'InvalidJson',
      'SchemaViolation',
      'UnknownEventType',
    ]);
    expect(byClass.InvalidJson.value).toBe('{"eventType": "PAYMENT_SUCCESS", oops');
    expect(byClass.InvalidJson.key).toBe('key-1');
    expect(byClass.SchemaViolation.headers[DeadLetterHeaders.ERROR_MESSAGE]).toMatch(
      /recipientIds must not be empty.*occurredAt must be an ISO-8601 date|occurredAt must be an ISO-8601 date.*recipientIds must not be empty/,
    );
    expect(byClass.UnknownEventType.headers[DeadLetterHeaders.ERROR_MESSAGE]).toBe(
      'eventType PAYMENT_REFUNDED has no template',
    );
    for (const letter of deadLetters) {
      expect(letter.headers).toMatchObject({
        [DeadLetterHeaders.ORIGINAL_TOPIC]: topic,
        [DeadLetterHeaders.ORIGINAL_PARTITION]: expect.stringMatching(/^[0-2]$/),
        [DeadLetterHeaders.ORIGINAL_OFFSET]: expect.stringMatching(/^\d+$/),
        [DeadLetterHeaders.ORIGINAL_TIMESTAMP]: expect.stringMatching(/^\d+$/),
        [DeadLetterHeaders.ATTEMPTS]: '1',
      });
    }
    await waitForCommittedToLogEnd(admin, groupId, topic);
    expect((await rows(`dedup_key LIKE 'valid-%'`)).map((row) => row.dedup_key).sort()).toEqual([
      'valid-1',
      'valid-2',
      'valid-3',
    ]);
  });

  it(`should dead-letter a message naming more than ${ACTIVITY_NOTIFICATION_MAX_RECIPIENT_IDS} recipientIds instead of writing a row for each`, async () => {
    const ids = (count: number) => Array.from({ length: count }, (_, n) => `crowd-${n}`);
    await produce([
      aPaymentSucceeded({
        recipientScope: 'users',
        recipientIds: ids(ACTIVITY_NOTIFICATION_MAX_RECIPIENT_IDS + 1),
        eventId: 'crowd-too-many',
      }),
      aPaymentSucceeded({
        recipientScope: 'users',
        recipientIds: ids(ACTIVITY_NOTIFICATION_MAX_RECIPIENT_IDS),
        eventId: 'crowd-at-limit',
      }),
    ]);

    await waitForCommittedToLogEnd(admin, groupId, topic);
    const written: { dedup_key: string; count: string }[] = await db.dataSource.query(
      `SELECT dedup_key, count(*) FROM activity_notifications WHERE dedup_key LIKE 'crowd-%' GROUP BY 1`,
    );
    expect(written).toEqual([
      { dedup_key: 'crowd-at-limit', count: String(ACTIVITY_NOTIFICATION_MAX_RECIPIENT_IDS) },
    ]);
    // Dead letters are produced before the offset is committed: all of them are there by now.
    const letters = await readTopic(kafka, dlq, await messagesIn(dlq));
    const crowd = letters.find((letter) => letter.value?.includes('crowd-too-many'));
    expect(crowd?.headers[DeadLetterHeaders.ERROR_CLASS]).toBe('SchemaViolation');
    expect(crowd?.headers[DeadLetterHeaders.ERROR_MESSAGE]).toContain(
      `recipientIds must hold at most ${ACTIVITY_NOTIFICATION_MAX_RECIPIENT_IDS} ids`,
    );
  });

  it('should wait out PostgreSQL being unreachable for 20 s mid-stream: no commit, no dead letter, nothing lost', async () => {
    const outage = (from: number, count: number) =>
      Array.from({ length: count }, (_, index) =>
        aPaymentSucceeded({
          organizerId: `org-outage-${from + index}`,
          eventId: `outage-${from + index}`,
        }),
      );
    const dlqBefore = await admin.fetchTopicOffsets(dlq);
    await produce(outage(0, 10));
    await waitForCommittedToLogEnd(admin, groupId, topic);
    const committedBefore = await admin.fetchOffsets({ groupId, topics: [topic] });

    await postgresProxy.stop();
    await produce(outage(10, 30));
    await settle(20_000);
    const committedDuring = await admin.fetchOffsets({ groupId, topics: [topic] });
    const [groupDuring] = (await admin.describeGroups([groupId])).groups;
    await postgresProxy.start();
    await produce(outage(40, 10));

    expect(committedDuring).toEqual(committedBefore);
    expect(groupDuring.state).toBe('Stable');
    expect(groupDuring.members).toHaveLength(1);
    await waitFor(
      'all 50 rows after the outage',
      async () => {
        const found = await rows(`dedup_key LIKE 'outage-%'`);
        return found.length === 50 ? found : undefined;
      },
      { timeoutMs: 30_000 },
    );
    await waitForCommittedToLogEnd(admin, groupId, topic);
    expect(await admin.fetchTopicOffsets(dlq)).toEqual(dlqBefore);
  }, 90_000);
});
