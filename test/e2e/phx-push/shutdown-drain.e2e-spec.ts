import type { TestSchema } from '@signal/persistence/testing/test-schema';
import { Admin } from 'kafkajs';
import { WebhookPushRequest } from '../../../apps/signal/src/phx-push/channels/webhook.push-provider';
import { freePort } from '../../support/free-port';
import { createTopic, testKafka } from '../../support/kafka';
import { LoopbackHttpServer } from '../../support/loopback-http-server';
import { pushedRequestIds, waitUntilEveryRequestDelivered } from '../../support/phx-deliveries';
import { SignalProcess, spawnSignal, waitUntilServing } from '../../support/signal-process';
import { createTestSchema } from '../../support/signal-test-app';
import { TestServices } from '../../support/test-services';
import { TEST_API_KEY, TEST_JWT_SECRET } from '../../support/tokens';
import { uniqueName } from '../../support/unique-name';
import { waitFor } from '../../support/wait-for';

const USERS = 5;
const APP = 'PHX_PARENT';
// Each push is answered this late: SIGTERM comes while some are on the wire.
const PUSH_ANSWER_AFTER_MS = 1500;

describe('PHX Consumer: SIGTERM while Kafka batches and sends are in flight (built app, real Kafka, PostgreSQL, slow loopback push)', () => {
  const topic = uniqueName('it.phx-drain');
  const groupId = uniqueName('IT_PHX_DRAIN');
  let admin: Admin;
  let db: TestSchema;
  let webhook: LoopbackHttpServer;
  const running: SignalProcess[] = [];

  beforeAll(async () => {
    admin = testKafka(uniqueName('it-phx-drain')).admin();
    await admin.connect();
    await createTopic(admin, topic, 2);
    db = await createTestSchema('phx-drain');
    webhook = await LoopbackHttpServer.start((call) => ({
      status: 200,
      body: {
        results: call.json<WebhookPushRequest>().tokens.map((token) => ({ token, status: 'sent' })),
      },
      afterMs: PUSH_ANSWER_AFTER_MS,
    }));
  });

  afterAll(async () => {
    for (const app of running) app.child.kill('SIGKILL');
    await webhook?.close();
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
        PHX_RETRY_INITIAL_MS: '100',
        PHX_RETRY_MAX_MS: '500',
        RABBITMQ_ENABLED: 'false',
        REDIS_URL: TestServices.redisUrl,
        SOCKET_IO_REDIS_KEY: `socket.io.${db.options.schema}`,
        SIGNAL_JWT_SECRET: TEST_JWT_SECRET,
        SIGNAL_API_KEYS: TEST_API_KEY,
        PUSH_PROVIDER: 'webhook',
        PUSH_WEBHOOK_URL: `${webhook.url}/push`,
      },
      [],
      // The build, as production runs it: sends go out from the channel thread's bundle.
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

  const aNotification = (n: number) => ({
    user_id: `drain-${n % USERS}`,
    hostname: 'portal.phx.vn',
    action_code: 'FEE:NOTICE',
    pushNotiMobile: {
      title: `Học phí ${n}`,
      message: 'Bạn có thông báo học phí mới',
      module_code: 'FEE',
      app: APP,
      payload: { n },
    },
  });

  it('should finish the batches and sends in flight before the channel thread stops, burning no attempt', async () => {
    const first = await startApp();
    await call(first.url, 'PUT', '/admin/notification-settings/FEE:NOTICE', {
      enabled: true,
      channels: ['push'],
      critical: false,
    });
    for (let user = 0; user < USERS; user++) {
      await call(first.url, 'POST', `/admin/users/drain-${user}/devices`, {
        app: APP,
        token: `drain-device-${user}`,
      });
    }

    // Notifications keep coming until the signal: hand-offs are in Kafka batches at that moment.
    const accepted: string[] = [];
    let sending = true;
    const producing = (async () => {
      for (let n = 0; sending; n++) {
        const answer = await call(first.url, 'POST', '/emit/inapp-noti', aNotification(n)).catch(
          () => undefined,
        );
        if (answer?.status === 202) accepted.push(answer.body.id as string);
        // Closed: no point in hammering it.
        else await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    await waitFor('pushes on the wire', () => (webhook.requests.length >= 3 ? true : undefined));

    first.app.child.kill('SIGTERM');
    // Within the shutdown deadline: a keep-alive client must not hold the close up.
    expect(await first.app.exited).toBe(0);
    sending = false;
    await producing;

    // Each push went out and was settled once, or was left untouched for the next instance.
    const rows: { status: string; attempts: number; reason: string | null }[] =
      await db.dataSource.query(
        `SELECT status, attempts, reason FROM phx_deliveries WHERE channel = 'push'`,
      );
    expect(rows).toHaveLength(accepted.length);
    const burned = rows.filter(
      (row) => !(row.status === 'sent' && row.attempts === 1) && row.attempts > 0,
    );
    expect(burned).toEqual([]);

    await startApp();
    await waitUntilEveryRequestDelivered(db);
    expect(pushedRequestIds(webhook)).toEqual([...accepted].sort());
  }, 180_000);
});
