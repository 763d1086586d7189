import type { TestSchema } from '@signal/persistence/testing/test-schema';
import { Admin } from 'kafkajs';
import { freePort } from '../../support/free-port';
import { connectSocket } from '../../support/socket-client';
import { createTopic, testKafka } from '../../support/kafka';
import {
  logLines,
  SignalProcess,
  spawnSignal,
  waitUntilServing,
} from '../../support/signal-process';
import { createTestSchema } from '../../support/signal-test-app';
import { SmtpTestServer } from '../../support/smtp-test-server';
import { TestServices } from '../../support/test-services';
import { TEST_API_KEY, TEST_JWT_SECRET, userToken } from '../../support/tokens';
import { uniqueName } from '../../support/unique-name';
import { waitFor } from '../../support/wait-for';

describe('Structured logs: one correlation id from the HTTP request to the delivery across Kafka (real process)', () => {
  const topic = uniqueName('it.corr-logs');
  const correlationId = uniqueName('it-corr');
  // Rejected for now (4xx): the Consumer logs the failed attempt and schedules another.
  const recipient = `${uniqueName('corr-user')}@example.com`;
  let admin: Admin;
  let db: TestSchema;
  let smtp: SmtpTestServer;
  let app: SignalProcess;
  let url: string;

  beforeAll(async () => {
    admin = testKafka(uniqueName('it-corr-logs')).admin();
    await admin.connect();
    await createTopic(admin, topic);
    db = await createTestSchema('corr-logs');
    smtp = await SmtpTestServer.start();
    smtp.rejectRecipient(recipient, 450, `4.2.1 <${recipient}>: mailbox busy, try later`);
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    app = spawnSignal({
      PORT: String(port),
      LOG_LEVEL: 'log',
      DATABASE_URL: db.options.url,
      DATABASE_SCHEMA: db.options.schema,
      KAFKA_BROKERS: TestServices.kafkaBrokers.join(','),
      KAFKA_TOPIC_PHX_PUSH: topic,
      KAFKA_TOPIC_ACTIVITY_NOTIFICATION: `${topic}.activity`,
      APP_ENV_KAFKA_GROUP_ID: uniqueName('IT_CORR_LOGS'),
      KAFKA_FROM_BEGINNING: 'true',
      PHX_DELIVERY_MAX_ATTEMPTS: '2',
      PHX_RETRY_INITIAL_MS: '200',
      RABBITMQ_ENABLED: 'false',
      REDIS_URL: TestServices.redisUrl,
      SOCKET_IO_REDIS_KEY: `socket.io.${db.options.schema}`,
      SIGNAL_JWT_SECRET: TEST_JWT_SECRET,
      SIGNAL_API_KEYS: TEST_API_KEY,
      PUSH_PROVIDER: 'none',
      SMTP_URL: smtp.url,
    });
    await waitUntilServing(app, url);
  });

  afterAll(async () => {
    app?.child.kill('SIGKILL');
    await app?.exited;
    await smtp?.close();
    await admin?.deleteTopics({ topics: [topic, `${topic}.dlq`] }).catch(() => undefined);
    await admin?.disconnect();
    await db?.drop();
  });

  async function call(method: string, path: string, body: unknown, headers = {}) {
    return fetch(`${url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', 'x-api-key': TEST_API_KEY, ...headers },
      body: JSON.stringify(body),
    });
  }

  it('should log the delivery in the Consumer under the id the HTTP request came with, with no API key or e-mail address in the output', async () => {
    const setting = await call('PUT', '/admin/notification-settings/FEE:CORR', {
      enabled: true,
      channels: ['email'],
      critical: false,
    });
    expect(setting.status).toBe(200);

    const emitted = await call(
      'POST',
      '/emit/inapp-noti',
      {
        user_id: 'corr-user',
        hostname: 'portal.phx.vn',
        action_code: 'FEE:CORR',
        sendEmailV3: {
          emailType: 'transaction-basic',
          to: recipient,
          subject: 'Học phí',
          title: 'Học phí',
          previewText: 'Thông báo học phí',
          content: 'Nội dung',
        },
      },
      { 'x-correlation-id': correlationId },
    );
    expect(emitted.status).toBe(202);
    expect(emitted.headers.get('x-correlation-id')).toBe(correlationId);
    const { id: requestId } = (await emitted.json()) as { id: string };

    // Written by the Consumer after the hand-off crossed Kafka: the first, failed attempt.
    const delivery = await waitFor('the Consumer to log the failed e-mail attempt', () =>
      logLines(app).find(
        (line) => line.context === 'PhxRequestDeliverer' && line.msg?.includes(requestId),
      ),
    );
    expect(delivery).toMatchObject({ level: 'warn', correlationId });
    expect(delivery.msg).toContain('***@example.com');
    // The retry scheduler's attempt, from the database rather than a Kafka header, gives up.
    const givenUp = await waitFor('the retry scheduler to log giving up', () =>
      logLines(app).find(
        (line) =>
          line.context === 'PhxRequestDeliverer' &&
          line.msg?.includes(requestId) &&
          line.msg.includes('gave up after 2 attempts'),
      ),
    );
    expect(givenUp).toMatchObject({ level: 'warn', correlationId });

    const lines = logLines(app);
    const access = lines.find(
      (line) => line.msg === 'request completed' && line.correlationId === correlationId,
    );
    expect(access).toMatchObject({
      req: { method: 'POST', url: '/emit/inapp-noti', headers: { 'x-api-key': '[redacted]' } },
      res: { statusCode: 202 },
    });
    expect(app.output()).not.toContain(TEST_API_KEY);
    expect(app.output()).not.toContain(recipient);
  });

  it('should answer a request without a usable id with a new one, and log under it', async () => {
    const response = await call('GET', '/admin/notification-settings/FEE:CORR', undefined, {
      'x-correlation-id': 'not a valid id: has spaces',
    });
    expect(response.status).toBe(200);
    const generated = response.headers.get('x-correlation-id');
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    await waitFor('the access line of the request', () =>
      logLines(app).find(
        (line) => line.msg === 'request completed' && line.correlationId === generated,
      ),
    );
  });

  it('should leave probes and scrapes out of the access log', async () => {
    expect((await call('GET', '/health/live', undefined)).status).toBe(200);
    expect((await call('GET', '/metrics', undefined)).status).toBe(200);
    const after = uniqueName('it-corr-after-probes');
    await call('GET', '/admin/notification-settings/FEE:CORR', undefined, {
      'x-correlation-id': after,
    });
    await waitFor('the access line of the request after the probes', () =>
      logLines(app).find(
        (line) => line.msg === 'request completed' && line.correlationId === after,
      ),
    );
    const logged = logLines(app)
      .filter((line) => line.msg === 'request completed')
      .map((line) => (line.req as { url: string }).url);
    expect(logged).toContain('/admin/notification-settings/FEE:CORR');
    expect(logged).not.toContain('/health/live');
    expect(logged).not.toContain('/metrics');
  });

  it('should log a socket connection under the id its handshake came with', async () => {
    const socketCorrelationId = uniqueName('it-corr-socket');
    const socket = await connectSocket(url, {
      token: userToken({ sub: 'corr-socket-user' }),
      correlationId: socketCorrelationId,
    });
    try {
      const joined = await waitFor('the connection to be logged', () =>
        logLines(app).find(
          (line) => line.context === 'SignalGateway' && line.msg?.includes(socket.id ?? '-'),
        ),
      );
      expect(joined).toMatchObject({ correlationId: socketCorrelationId });
      expect(joined.msg).toContain('corr-socket-user joined 2 rooms');
    } finally {
      socket.close();
    }
  });
});
