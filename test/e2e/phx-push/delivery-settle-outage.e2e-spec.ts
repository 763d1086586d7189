import { INestApplication } from '@nestjs/common';
import type { TestSchema } from '@signal/persistence/testing/test-schema';
import { Admin } from 'kafkajs';
import request from 'supertest';
import { startSignalApp } from '../../../apps/signal/src/signal-app';
import { createTopic, testKafka } from '../../support/kafka';
import { LoopbackHttpServer } from '../../support/loopback-http-server';
import {
  aFeeNotice,
  pushedRequestIds,
  waitUntilEveryRequestDelivered,
} from '../../support/phx-deliveries';
import { createTestSchema, socketRedisKeyOf } from '../../support/signal-test-app';
import { SmtpTestServer } from '../../support/smtp-test-server';
import { TcpProxy } from '../../support/tcp-proxy';
import { testSignalConfig } from '../../support/test-config';
import { TEST_API_KEY } from '../../support/tokens';
import { uniqueName } from '../../support/unique-name';
import { waitFor } from '../../support/wait-for';

const APP = 'PHX_PARENT';
const NOTIFICATIONS = 6;
// The database stays away this long after the pushes are answered, well within the lease below.
const OUTAGE_MS = 3_000;
// Long enough for the settle to be retried after the outage; short enough that, were it not,
// the retry scheduler would claim the channels again within the test.
const LEASE_MS = 8_000;

describe('PHX Consumer: PostgreSQL cut between a send and its settle (real Kafka, PostgreSQL behind a proxy, loopback push and SMTP)', () => {
  const topic = uniqueName('it.phx-settle');
  let admin: Admin;
  let db: TestSchema;
  let dbLink: TcpProxy;
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  let webhook: LoopbackHttpServer;
  let smtp: SmtpTestServer;
  // The pushes are answered (as sent) once the database is cut: their chunk's settle meets the outage.
  let answerPushes: () => void;
  const pushesAnswered = new Promise<void>((resolve) => (answerPushes = resolve));

  beforeAll(async () => {
    admin = testKafka(uniqueName('it-phx-settle')).admin();
    await admin.connect();
    await createTopic(admin, topic);
    await createTopic(admin, `${topic}.dlq`);
    db = await createTestSchema('phx-settle');
    const direct = new URL(db.options.url);
    dbLink = new TcpProxy(direct.hostname, Number(direct.port || 5432));
    await dbLink.start();
    const proxied = new URL(db.options.url);
    proxied.port = String(dbLink.port);
    smtp = await SmtpTestServer.start();
    webhook = await LoopbackHttpServer.start(() => ({
      status: 200,
      body: { results: [{ token: 'settle-device', status: 'sent' }] },
      until: pushesAnswered,
    }));
    const config = testSignalConfig({
      LOG_LEVEL: 'error',
      DATABASE_URL: proxied.toString(),
      DATABASE_SCHEMA: db.options.schema,
      RABBITMQ_ENABLED: 'false',
      SOCKET_IO_REDIS_KEY: socketRedisKeyOf(db),
      KAFKA_TOPIC_PHX_PUSH: topic,
      KAFKA_TOPIC_ACTIVITY_NOTIFICATION: uniqueName('it.phx-settle-activity'),
      APP_ENV_KAFKA_GROUP_ID: uniqueName('IT_PHX_SETTLE'),
      KAFKA_FROM_BEGINNING: 'true',
      KAFKA_RETRY_INITIAL_MS: '100',
      KAFKA_RETRY_MAX_MS: '500',
      PHX_RETRY_INITIAL_MS: '100',
      PHX_RETRY_MAX_MS: '200',
      PUSH_PROVIDER: 'webhook',
      PUSH_WEBHOOK_URL: `${webhook.url}/push`,
      SMTP_URL: smtp.url,
    });
    // Shorter than the boot check allows with the default timeouts: the sends here are loopback.
    app = await startSignalApp({ ...config, phx: { ...config.phx, deliveryLeaseMs: LEASE_MS } });
    http = request(app.getHttpServer());
    await http
      .put('/admin/notification-settings/FEE:NOTICE')
      .set('x-api-key', TEST_API_KEY)
      .send({ enabled: true, channels: ['push', 'email', 'in_app'], critical: false })
      .expect(200);
    await http
      .post('/admin/users/settle-user/devices')
      .set('x-api-key', TEST_API_KEY)
      .send({ app: APP, token: 'settle-device' })
      .expect(201);
  });

  afterAll(async () => {
    await dbLink?.start().catch(() => undefined);
    await app?.close();
    await dbLink?.stop();
    await Promise.all([webhook?.close(), smtp?.close()]);
    await admin?.deleteTopics({ topics: [topic, `${topic}.dlq`] }).catch(() => undefined);
    await admin?.disconnect();
    await db?.drop();
  });

  it('should send each push and e-mail once and settle them sent once the database is back', async () => {
    const ids = await Promise.all(
      Array.from({ length: NOTIFICATIONS }, async (_, n) => {
        const { body } = await http
          .post('/emit/inapp-noti')
          .set('x-api-key', TEST_API_KEY)
          .send(aFeeNotice(n, 'settle-user', APP))
          .expect(202);
        return body.id as string;
      }),
    );

    // A chunk was claimed and its push is on the wire: the database goes away, then the push
    // (and any other held) is answered as sent.
    await waitFor('the first push', () => (webhook.requests.length > 0 ? true : undefined));
    await dbLink.stop();
    answerPushes();
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    await dbLink.start();

    await waitUntilEveryRequestDelivered(db);
    expect(pushedRequestIds(webhook)).toEqual([...ids].sort());
    expect(smtp.received.map(({ mail }) => mail.subject).sort()).toEqual(
      Array.from({ length: NOTIFICATIONS }, (_, n) => `Học phí ${n}`).sort(),
    );
    const channels: { channel: string; status: string; attempts: number; count: string }[] =
      await db.dataSource.query(
        `SELECT channel, status, attempts, count(*) AS count FROM phx_deliveries
          GROUP BY channel, status, attempts ORDER BY channel`,
      );
    expect(channels).toEqual([
      { channel: 'email', status: 'sent', attempts: 1, count: String(NOTIFICATIONS) },
      { channel: 'in_app', status: 'sent', attempts: 0, count: String(NOTIFICATIONS) },
      { channel: 'push', status: 'sent', attempts: 1, count: String(NOTIFICATIONS) },
    ]);
  }, 90_000);
});
