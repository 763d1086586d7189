import { INestApplication } from '@nestjs/common';
import type { TestSchema } from '@signal/persistence/testing/test-schema';
import { Admin } from 'kafkajs';
import request from 'supertest';
import { startSignalApp } from '../../../apps/signal/src/signal-app';
import { WebhookPushRequest } from '../../../apps/signal/src/phx-push/channels/webhook.push-provider';
import { createTopic, testKafka } from '../../support/kafka';
import { LoopbackHttpServer } from '../../support/loopback-http-server';
import { createTestSchema, socketRedisKeyOf } from '../../support/signal-test-app';
import { testSignalConfig } from '../../support/test-config';
import { TEST_API_KEY, TEST_JWT_SECRET } from '../../support/tokens';
import { uniqueName } from '../../support/unique-name';
import { waitFor } from '../../support/wait-for';

const APP = 'PHX_PARENT';
// Longer than the lease below: the first send is still in flight when its lease runs out.
const FIRST_ANSWER_AFTER_MS = 3000;
const LEASE_MS = 1000;

describe('PHX Consumer: a send that outlives its lease (real Kafka, PostgreSQL, slow loopback push)', () => {
  const topic = uniqueName('it.phx-lease');
  let admin: Admin;
  let db: TestSchema;
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  let webhook: LoopbackHttpServer;

  beforeAll(async () => {
    admin = testKafka(uniqueName('it-phx-lease')).admin();
    await admin.connect();
    await createTopic(admin, topic);
    await createTopic(admin, `${topic}.dlq`);
    // The first attempt is answered late, and as a failure; any later one at once, as sent.
    webhook = await LoopbackHttpServer.start((call) => {
      const { tokens } = call.json<WebhookPushRequest>();
      return webhook.requests.length === 1
        ? { status: 503, body: { error: 'overloaded' }, afterMs: FIRST_ANSWER_AFTER_MS }
        : { status: 200, body: { results: tokens.map((token) => ({ token, status: 'sent' })) } };
    });
    db = await createTestSchema('phx-lease');
    const config = testSignalConfig({
      DATABASE_URL: db.options.url,
      DATABASE_SCHEMA: db.options.schema,
      RABBITMQ_ENABLED: 'false',
      SIGNAL_JWT_SECRET: TEST_JWT_SECRET,
      SIGNAL_API_KEYS: TEST_API_KEY,
      SOCKET_IO_REDIS_KEY: socketRedisKeyOf(db),
      KAFKA_TOPIC_PHX_PUSH: topic,
      KAFKA_TOPIC_ACTIVITY_NOTIFICATION: uniqueName('it.phx-lease-activity'),
      APP_ENV_KAFKA_GROUP_ID: uniqueName('IT_PHX_LEASE'),
      KAFKA_FROM_BEGINNING: 'true',
      PHX_RETRY_INITIAL_MS: '100',
      PHX_RETRY_MAX_MS: '200',
      PUSH_PROVIDER: 'webhook',
      PUSH_WEBHOOK_URL: `${webhook.url}/push`,
    });
    // A sender stalled past its lease: the boot check keeps the lease above every send
    // timeout, but a starved or paused process can still outlive it.
    app = await startSignalApp({ ...config, phx: { ...config.phx, deliveryLeaseMs: LEASE_MS } });
    http = request(app.getHttpServer());
    await http
      .put('/admin/notification-settings/FEE:NOTICE')
      .set('x-api-key', TEST_API_KEY)
      .send({ enabled: true, channels: ['push'], critical: false })
      .expect(200);
    await http
      .post('/admin/users/lease-user/devices')
      .set('x-api-key', TEST_API_KEY)
      .send({ app: APP, token: 'lease-device' })
      .expect(201);
  });

  afterAll(async () => {
    await app?.close();
    await webhook?.close();
    await admin?.deleteTopics({ topics: [topic, `${topic}.dlq`] }).catch(() => undefined);
    await admin?.disconnect();
    await db?.drop();
  });

  async function supersededSettles(): Promise<number> {
    const { text } = await http.get('/metrics').expect(200);
    const line = text
      .split('\n')
      .find((l) => l.startsWith('signal_phx_deliveries_total{channel="push",status="superseded"}'));
    return line ? Number(line.split(' ').pop()) : 0;
  }

  it('should keep the outcome of the claim that holds the lease when the earlier attempt settles late', async () => {
    const { body } = await http
      .post('/emit/inapp-noti')
      .set('x-api-key', TEST_API_KEY)
      .send({
        user_id: 'lease-user',
        hostname: 'portal.phx.vn',
        action_code: 'FEE:NOTICE',
        pushNotiMobile: {
          title: 'Học phí',
          message: 'Bạn có thông báo học phí mới',
          module_code: 'FEE',
          app: APP,
          payload: {},
        },
      })
      .expect(202);
    const requestId = body.id as string;

    // The lease ran out: the retry scheduler claimed the push again and it went out.
    await waitFor('the second attempt to be sent', async () => {
      const [row]: { status: string }[] = await db.dataSource.query(
        `SELECT status FROM phx_push_requests WHERE id = $1`,
        [requestId],
      );
      return row.status === 'delivered' ? true : undefined;
    });
    // Then the first attempt's late answer came back, and its settle was refused.
    await waitFor('the first attempt to settle late', async () =>
      (await supersededSettles()) === 1 ? true : undefined,
    );

    const [push]: { status: string; reason: string | null; attempts: number }[] =
      await db.dataSource.query(
        `SELECT status, reason, attempts FROM phx_deliveries WHERE request_id = $1 AND channel = 'push'`,
        [requestId],
      );
    expect(push).toEqual({ status: 'sent', reason: null, attempts: 2 });
    expect(webhook.requests).toHaveLength(2);
  });
});
