import { NotificationWebSocketTopics } from '@signal/core';
import type { TestSchema } from '@signal/persistence/testing/test-schema';
import { Admin, Producer } from 'kafkajs';
import { Socket } from 'socket.io-client';
import request from 'supertest';
import { createTopic, testKafka } from '../../support/kafka';
import { aPaymentSucceeded, waitForCommittedToLogEnd } from '../../support/kafka-activity';
import { createTestSchema, SignalTestApp, startSignalTestApp } from '../../support/signal-test-app';
import { collect, connectSocket, waitForCount } from '../../support/socket-client';
import { TEST_API_KEY, userToken } from '../../support/tokens';
import { uniqueName } from '../../support/unique-name';
import { waitFor } from '../../support/wait-for';

/** One sample line of the Prometheus text format: `name{label="value",…} number`. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parseExposition(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a Prometheus sample line: ${line}`);
      const labels = Object.fromEntries(
        [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, name, value]) => [
          name,
          value.replace(/\\(.)/g, '$1'),
        ]),
      );
      return { name: match[1], labels, value: Number(match[3]) };
    });
}

/** A scrape of `/metrics`, read by metric name and a subset of its labels. */
class Scrape {
  constructor(readonly samples: Sample[]) {}

  /** The sum over the series of `name` carrying `labels`; 0 when there is none. */
  value(name: string, labels: Record<string, string> = {}): number {
    return this.matching(name, labels).reduce((sum, sample) => sum + sample.value, 0);
  }

  matching(name: string, labels: Record<string, string> = {}): Sample[] {
    return this.samples.filter(
      (sample) =>
        sample.name === name &&
        Object.entries(labels).every(([label, value]) => sample.labels[label] === value),
    );
  }
}

describe('GET /metrics moves with real traffic (real Kafka, PostgreSQL, Redis, Socket.IO)', () => {
  const activityTopic = uniqueName('it.metrics-activity');
  const phxTopic = uniqueName('it.metrics-phx');
  const groupId = uniqueName('IT_METRICS_GROUP');
  const user = 'metrics-user';
  let db: TestSchema;
  let signal: SignalTestApp;
  let http: ReturnType<typeof request>;
  let admin: Admin;
  let producer: Producer;
  let socket: Socket | undefined;

  const scrape = async () => {
    const response = await http.get('/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain;.*\bversion=0\.0\.4\b/);
    return new Scrape(parseExposition(response.text));
  };
  const emit = (body: object, idempotencyKey?: string) => {
    const call = http.post('/emit/inapp-noti').set('x-api-key', TEST_API_KEY);
    return (idempotencyKey ? call.set('idempotency-key', idempotencyKey) : call).send(body);
  };
  const inAppNotice = (actionCode: string) => ({
    user_id: user,
    hostname: 'portal.phx.vn',
    action_code: actionCode,
    inApp: { title: 'Học phí', message: 'Đã cập nhật học phí tháng 11' },
  });

  beforeAll(async () => {
    const kafka = testKafka(uniqueName('it-metrics'));
    admin = kafka.admin();
    producer = kafka.producer();
    await Promise.all([admin.connect(), producer.connect()]);
    await Promise.all([createTopic(admin, activityTopic), createTopic(admin, phxTopic)]);
    db = await createTestSchema('metrics');
    signal = await startSignalTestApp(db, {
      KAFKA_ENABLED: 'true',
      KAFKA_TOPIC_ACTIVITY_NOTIFICATION: activityTopic,
      KAFKA_TOPIC_PHX_PUSH: phxTopic,
      APP_ENV_KAFKA_GROUP_ID: groupId,
      APP_ENV_KAFKA_CLIENT_ID: uniqueName('IT_METRICS_CLIENT'),
      KAFKA_FROM_BEGINNING: 'true',
    });
    http = request(signal.app.getHttpServer());
    await http
      .put('/admin/notification-settings/FEE:NOTICE')
      .set('x-api-key', TEST_API_KEY)
      .send({ enabled: true, channels: ['in_app'], critical: false })
      .expect(200);
    // Unconfigured codes are delivered by default: a disabled one is answered `not_delivered`.
    await http
      .put('/admin/notification-settings/BUS_ROUTE:DELAY')
      .set('x-api-key', TEST_API_KEY)
      .send({ enabled: false, channels: ['in_app'], critical: false })
      .expect(200);
  });

  afterAll(async () => {
    socket?.close();
    await signal?.close();
    const topics = [activityTopic, phxTopic].flatMap((topic) => [topic, `${topic}.dlq`]);
    await admin?.deleteTopics({ topics }).catch(() => undefined);
    await admin?.deleteGroups([groupId]).catch(() => undefined);
    await Promise.all([admin?.disconnect(), producer?.disconnect()]);
    await db?.drop();
  });

  it('should serve Node process metrics without credentials', async () => {
    const metrics = await scrape();
    expect(metrics.matching('process_cpu_user_seconds_total')).toHaveLength(1);
    expect(metrics.matching('nodejs_heap_size_used_bytes')).toHaveLength(1);
  });

  it('should count a socket connection, Kafka batches, lag, dead letters, emits, PHX deliveries, Producer outcomes and HTTP routes', async () => {
    const before = await scrape();

    socket = await connectSocket(signal.baseUrl, { token: userToken({ sub: user }) });
    const activity = collect(socket, NotificationWebSocketTopics.NOTIFICATION_CREATED);
    const records = collect(socket, NotificationWebSocketTopics.NOTIFICATION_CENTER_RECORD_CREATED);
    await waitFor('the connection to be counted', async () =>
      (await scrape()).value('signal_socket_connections') ===
      before.value('signal_socket_connections') + 1
        ? true
        : undefined,
    );

    await producer.send({
      topic: activityTopic,
      messages: [
        {
          key: 'k',
          value: JSON.stringify(
            aPaymentSucceeded({ recipientScope: 'users', recipientIds: [user] }),
          ),
        },
        { key: 'k', value: 'not json' },
      ],
    });
    await waitForCount(activity, 1, 'the activity notification on the socket');
    await waitForCommittedToLogEnd(admin, groupId, activityTopic);

    await emit(inAppNotice('FEE:NOTICE'), 'metrics-once').expect(202);
    await emit(inAppNotice('FEE:NOTICE'), 'metrics-once').expect(202);
    await emit(inAppNotice('BUS_ROUTE:DELAY')).expect(200);
    await emit({ user_id: user, action_code: 'lower:case' }).expect(400);
    await waitForCount(records, 1, 'the Notification Center record on the socket');
    await waitForCommittedToLogEnd(admin, groupId, phxTopic);

    await http
      .post('/socket/websocket/clients/broadcast')
      .set('x-api-key', TEST_API_KEY)
      .send({ topic: 'metrics/broadcast', payload: { n: 1 } })
      .expect(202);
    const token = userToken({ sub: user });
    await http.get('/notifications').set('authorization', `Bearer ${token}`).expect(200);
    await http.get('/notifications').expect(401);
    const unknownId = '00000000-0000-4000-8000-00000000beef';
    await http
      .patch(`/notifications/${unknownId}/read`)
      .set('authorization', `Bearer ${token}`)
      .expect(404);
    await http.get('/no/such/route').expect(404);

    const after = await scrape();
    const moved = (name: string, labels: Record<string, string> = {}) =>
      after.value(name, labels) - before.value(name, labels);

    expect(moved('signal_socket_connections')).toBe(1);

    // Two messages of the activity topic, in one batch or two; the bad one dead-lettered.
    const activityTopicLabel = { topic: activityTopic };
    expect(moved('signal_kafka_batch_size_sum', activityTopicLabel)).toBe(2);
    expect(moved('signal_kafka_batch_size_count', activityTopicLabel)).toBeGreaterThanOrEqual(1);
    expect(moved('signal_kafka_batch_duration_seconds_count', activityTopicLabel)).toBe(
      moved('signal_kafka_batch_size_count', activityTopicLabel),
    );
    expect(moved('signal_kafka_dead_letters_total', activityTopicLabel)).toBe(1);
    expect(
      after.value('signal_kafka_dead_letters_total', {
        ...activityTopicLabel,
        error_class: 'InvalidJson',
      }),
    ).toBe(1);
    // Everything produced is committed: nothing left behind on either partition 0.
    for (const topic of [activityTopic, phxTopic]) {
      expect(after.matching('signal_kafka_consumer_lag', { topic })).toEqual([
        { name: 'signal_kafka_consumer_lag', labels: { topic, partition: '0' }, value: 0 },
      ]);
    }
    // One accepted hand-off: the duplicate and the undelivered request are not handed off.
    expect(moved('signal_kafka_batch_size_sum', { topic: phxTopic })).toBe(1);

    expect(
      moved('signal_socket_emits_total', {
        topic: NotificationWebSocketTopics.NOTIFICATION_CREATED,
      }),
    ).toBe(1);
    expect(
      moved('signal_socket_emits_total', {
        topic: NotificationWebSocketTopics.NOTIFICATION_CENTER_RECORD_CREATED,
      }),
    ).toBe(1);
    expect(moved('signal_socket_emits_total', { topic: 'metrics/broadcast' })).toBe(1);

    expect(moved('signal_phx_deliveries_total', { channel: 'in_app', status: 'sent' })).toBe(1);
    expect(moved('signal_phx_deliveries_total')).toBe(1);
    for (const outcome of ['accepted', 'duplicate', 'not_delivered', 'invalid']) {
      expect([outcome, moved('signal_phx_producer_requests_total', { outcome })]).toEqual([
        outcome,
        1,
      ]);
    }

    const requests = (method: string, route: string, status: string) =>
      moved('signal_http_request_duration_seconds_count', { method, route, status });
    expect(requests('POST', '/emit/inapp-noti', '202')).toBe(2);
    expect(requests('POST', '/emit/inapp-noti', '200')).toBe(1);
    expect(requests('POST', '/emit/inapp-noti', '400')).toBe(1);
    expect(requests('GET', '/notifications', '200')).toBe(1);
    expect(requests('GET', '/notifications', '401')).toBe(1);
    expect(requests('PATCH', '/notifications/:id/read', '404')).toBe(1);
    expect(requests('GET', 'unmatched', '404')).toBe(1);
    expect(requests('GET', '/metrics', '200')).toBeGreaterThanOrEqual(1);
    // Route patterns, never raw URLs: an id never becomes a label value.
    expect(after.samples.some(({ labels }) => Object.values(labels).includes(unknownId))).toBe(
      false,
    );
    expect(
      after.matching('signal_http_request_duration_seconds_count', { route: '/no/such/route' }),
    ).toEqual([]);

    socket.close();
    await waitFor('the disconnection to be counted', async () =>
      (await scrape()).value('signal_socket_connections') ===
      before.value('signal_socket_connections')
        ? true
        : undefined,
    );
  });
});
