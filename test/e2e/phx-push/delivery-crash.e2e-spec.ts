import type { TestSchema } from '@signal/persistence/testing/test-schema';
import { Admin } from 'kafkajs';
import { createTopic, testKafka } from '../../support/kafka';
import { LoopbackHttpServer } from '../../support/loopback-http-server';
import {
  aFeeNotice,
  pushedRequestIds,
  waitUntilEveryRequestDelivered,
} from '../../support/phx-deliveries';
import { SignalProcess, spawnSignal, waitUntilServing } from '../../support/signal-process';
import { createTestSchema } from '../../support/signal-test-app';
import { SmtpTestServer } from '../../support/smtp-test-server';
import { TcpProxy } from '../../support/tcp-proxy';
import { TestServices } from '../../support/test-services';
import { TEST_API_KEY, TEST_JWT_SECRET } from '../../support/tokens';
import { uniqueName } from '../../support/unique-name';
import { freePort } from '../../support/free-port';
import { waitFor } from '../../support/wait-for';

const NOTIFICATIONS = 20;
const USERS = 5;
const APP = 'PHX_PARENT';

describe('PHX: the built app killed between acceptance and delivery (real process, Kafka, PostgreSQL, SMTP)', () => {
  const topic = uniqueName('it.phx-crash');
  const groupId = uniqueName('IT_PHX_CRASH');
  let admin: Admin;
  let db: TestSchema;
  let smtp: SmtpTestServer;
  let webhook: LoopbackHttpServer;
  // In front of the SMTP server and the push endpoint: closed while the first process runs.
  let smtpLink: TcpProxy;
  let pushLink: TcpProxy;
  const running: SignalProcess[] = [];

  beforeAll(async () => {
    admin = testKafka(uniqueName('it-phx-crash')).admin();
    await admin.connect();
    await createTopic(admin, topic, 2);
    db = await createTestSchema('phx-crash');
    smtp = await SmtpTestServer.start();
    webhook = await LoopbackHttpServer.start();
    smtpLink = new TcpProxy('127.0.0.1', Number(new URL(smtp.url).port));
    pushLink = new TcpProxy('127.0.0.1', Number(new URL(webhook.url).port));
    await Promise.all([smtpLink.start(), pushLink.start()]);
    await Promise.all([smtpLink.stop(), pushLink.stop()]);
  });

  afterAll(async () => {
    for (const app of running) app.child.kill('SIGKILL');
    await Promise.all([smtpLink?.stop(), pushLink?.stop(), smtp?.close(), webhook?.close()]);
    await admin?.deleteTopics({ topics: [topic, `${topic}.dlq`] }).catch(() => undefined);
    await admin?.disconnect();
    await db?.drop();
  });

  async function startApp(): Promise<{ app: SignalProcess; url: string }> {
    const port = await freePort();
    const app = spawnSignal(
      {
        PORT: String(port),
        LOG_LEVEL: 'error',
        DATABASE_URL: db.options.url,
        DATABASE_SCHEMA: db.options.schema,
        KAFKA_BROKERS: TestServices.kafkaBrokers.join(','),
        KAFKA_TOPIC_PHX_PUSH: topic,
        KAFKA_TOPIC_ACTIVITY_NOTIFICATION: `${topic}.activity`,
        APP_ENV_KAFKA_GROUP_ID: groupId,
        KAFKA_FROM_BEGINNING: 'true',
        KAFKA_RETRY_INITIAL_MS: '100',
        KAFKA_RETRY_MAX_MS: '500',
        PHX_DELIVERY_MAX_ATTEMPTS: '100',
        // A channel caught mid-send by the kill is taken over once this lease is over: the
        // shortest the boot check allows with these timeouts (longest send 12,000 + 5,000 ms).
        // SMTP_TIMEOUT_MS stays well above a loaded machine's loopback replies: an e-mail timed
        // out after the server took it would be sent twice.
        PHX_DELIVERY_LEASE_MS: '17500',
        PUSH_TIMEOUT_MS: '2000',
        SMTP_TIMEOUT_MS: '1000',
        PHX_RETRY_INITIAL_MS: '100',
        PHX_RETRY_MAX_MS: '500',
        RABBITMQ_ENABLED: 'false',
        REDIS_URL: TestServices.redisUrl,
        SOCKET_IO_REDIS_KEY: `socket.io.${db.options.schema}`,
        SIGNAL_JWT_SECRET: TEST_JWT_SECRET,
        SIGNAL_API_KEYS: TEST_API_KEY,
        PUSH_PROVIDER: 'webhook',
        PUSH_WEBHOOK_URL: `http://127.0.0.1:${pushLink.port}/push`,
        SMTP_URL: `smtp://127.0.0.1:${smtpLink.port}`,
      },
      [],
      // The build, as production runs it: push and e-mail go out from the channel thread's bundle.
      'build',
    );
    running.push(app);
    const url = `http://127.0.0.1:${port}`;
    await waitUntilServing(app, url);
    return { app, url };
  }

  async function call(url: string, method: string, path: string, body: unknown) {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', 'x-api-key': TEST_API_KEY },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  async function channelCounts() {
    const rows: { channel: string; status: string; count: string }[] = await db.dataSource.query(
      `SELECT channel, status, count(*) AS count FROM phx_deliveries GROUP BY channel, status`,
    );
    return Object.fromEntries(rows.map((r) => [`${r.channel}:${r.status}`, Number(r.count)]));
  }

  it('should deliver each accepted notification exactly once after a SIGKILL and a restart', async () => {
    const first = await startApp();
    await call(first.url, 'PUT', '/admin/notification-settings/FEE:NOTICE', {
      enabled: true,
      channels: ['push', 'email', 'in_app'],
      critical: false,
    });
    for (let user = 0; user < USERS; user++) {
      const registered = await call(first.url, 'POST', `/admin/users/crash-${user}/devices`, {
        app: APP,
        token: `crash-device-${user}`,
      });
      expect(registered.status).toBe(201);
    }
    const ids: string[] = [];
    for (let n = 0; n < NOTIFICATIONS; n++) {
      const answer = await call(
        first.url,
        'POST',
        '/emit/inapp-noti',
        aFeeNotice(n, `crash-${n % USERS}`, APP),
      );
      expect(answer.status).toBe(202);
      ids.push(answer.body.id as string);
    }
    // The Consumer is at work: records made, push and e-mail failing to connect and retried.
    await waitFor('every push and e-mail to have been tried', async () => {
      const counts = await channelCounts();
      return counts['in_app:sent'] === NOTIFICATIONS &&
        (counts['push:pending'] ?? 0) + (counts['push:sending'] ?? 0) === NOTIFICATIONS
        ? counts
        : undefined;
    });
    expect(smtp.received).toHaveLength(0);
    expect(webhook.requests).toHaveLength(0);

    first.app.child.kill('SIGKILL');
    await first.app.exited;
    await Promise.all([smtpLink.start(), pushLink.start()]);
    await startApp();

    await waitUntilEveryRequestDelivered(db);
    expect(pushedRequestIds(webhook)).toEqual([...ids].sort());
    expect(smtp.received.map((mail) => mail.mail.subject).sort()).toEqual(
      Array.from({ length: NOTIFICATIONS }, (_, n) => `Học phí ${n}`).sort(),
    );
    // The bundle's sanitizer and text converter at work (their packages load in the thread).
    for (const { mail } of smtp.received) {
      const n = String(mail.subject).replace('Học phí ', '');
      expect(String(mail.html)).toContain(`<p>Nội dung <b>${n}</b></p></div>`);
      expect(mail.text).toBe(`Học phí\n\nNội dung ${n}\n`);
    }
    const [records]: { total: string; distinct: string }[] = await db.dataSource.query(
      `SELECT count(*) AS total, count(DISTINCT request_id) AS distinct FROM phx_notification_records`,
    );
    expect(records).toEqual({ total: String(NOTIFICATIONS), distinct: String(NOTIFICATIONS) });
    expect(await channelCounts()).toEqual({
      'in_app:sent': NOTIFICATIONS,
      'push:sent': NOTIFICATIONS,
      'email:sent': NOTIFICATIONS,
    });
  }, 180_000);
});
