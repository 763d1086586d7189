import { createHmac, randomUUID } from 'node:crypto';
import { DeadLetterHeaders } from '@signal/core';
import type { TestSchema } from '@signal/persistence/testing/test-schema';
import { Admin, Producer } from 'kafkajs';
import { Socket } from 'socket.io-client';
import request from 'supertest';
import { createTopic, testKafka } from '../../support/kafka';
import { readTopic } from '../../support/kafka-activity';
import { WebhookPushRequest } from '../../../apps/signal/src/phx-push/channels/webhook.push-provider';
import { LoopbackHttpServer } from '../../support/loopback-http-server';
import { createTestSchema, SignalTestApp, startSignalTestApp } from '../../support/signal-test-app';
import { SmtpTestServer } from '../../support/smtp-test-server';
import { recordsReceivedBy } from '../../support/socket-client';
import { TEST_API_KEY, userToken } from '../../support/tokens';
import { uniqueName } from '../../support/unique-name';
import { waitFor } from '../../support/wait-for';

const APP = 'PHX_PARENT';
const WEBHOOK_SECRET = 'consumer-webhook-secret';

interface DeliveryRow {
  channel: string;
  status: string;
  reason: string | null;
  attempts: number;
}

function aNotification(user: string, overrides: Record<string, unknown> = {}) {
  return {
    user_id: user,
    hostname: 'portal.phx.vn',
    action_code: 'FEE:NOTICE',
    type: 'TO_ME',
    student_id: 42,
    pushNotiMobile: {
      title: 'Thông báo học phí',
      message: 'Bạn có thông báo học phí mới',
      module_code: 'FEE',
      app: APP,
      payload: { action: 'OPEN_FEE_NOTICE', feeId: 7 },
    },
    sendEmailV3: {
      emailType: 'transaction-basic',
      to: `${user}@example.com`,
      subject: 'Thông báo học phí tháng 11',
      title: 'Thông báo học phí',
      previewText: 'Nhà trường xin thông báo học phí',
      content: 'Học phí tháng 11 là 1.500.000 đ',
    },
    ...overrides,
  };
}

describe('PHX Consumer: record, socket event, push and e-mail (real Kafka, PostgreSQL, SMTP, loopback push)', () => {
  const topic = uniqueName('it.phx-consumer');
  let admin: Admin;
  let producer: Producer;
  let db: TestSchema;
  let signal: SignalTestApp;
  let http: ReturnType<typeof request>;
  let smtp: SmtpTestServer;
  let webhook: LoopbackHttpServer;
  /** Per token: how the loopback push provider answers. */
  const tokenAnswers = new Map<string, 'sent' | 'dead'>();
  /** Per token: how many more times it fails, transiently, before its answer above. */
  const tokenOutages = new Map<string, number>();
  /** Answers 503 this many more times before answering normally. */
  let webhookOutages = 0;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    const kafka = testKafka(uniqueName('it-phx-consumer'));
    admin = kafka.admin();
    producer = kafka.producer();
    await Promise.all([admin.connect(), producer.connect()]);
    await createTopic(admin, topic, 2);
    await createTopic(admin, `${topic}.dlq`);
    smtp = await SmtpTestServer.start();
    webhook = await LoopbackHttpServer.start((call) => {
      if (webhookOutages > 0) {
        webhookOutages--;
        return { status: 503, body: { error: 'maintenance' } };
      }
      const { tokens } = call.json<WebhookPushRequest>();
      return {
        status: 200,
        body: {
          results: tokens.map((token) => {
            const outages = tokenOutages.get(token) ?? 0;
            if (outages > 0) {
              tokenOutages.set(token, outages - 1);
              return { token, status: 'failed', reason: 'device busy', transient: true };
            }
            return {
              token,
              status: tokenAnswers.get(token) ?? 'sent',
              reason: tokenAnswers.get(token) === 'dead' ? 'unregistered' : undefined,
            };
          }),
        },
      };
    });
    db = await createTestSchema('phx-consumer');
    signal = await startSignalTestApp(db, {
      KAFKA_ENABLED: 'true',
      KAFKA_TOPIC_PHX_PUSH: topic,
      KAFKA_TOPIC_ACTIVITY_NOTIFICATION: uniqueName('it.phx-consumer-activity'),
      APP_ENV_KAFKA_GROUP_ID: uniqueName('IT_PHX_CONSUMER'),
      KAFKA_FROM_BEGINNING: 'true',
      KAFKA_RETRY_INITIAL_MS: '100',
      KAFKA_RETRY_MAX_MS: '400',
      PHX_DELIVERY_MAX_ATTEMPTS: '4',
      PHX_RETRY_INITIAL_MS: '50',
      PHX_RETRY_MAX_MS: '200',
      PUSH_PROVIDER: 'webhook',
      PUSH_WEBHOOK_URL: `${webhook.url}/push`,
      PUSH_WEBHOOK_SECRET: WEBHOOK_SECRET,
      SMTP_URL: smtp.url,
    });
    http = request(signal.app.getHttpServer());
    await http
      .put('/admin/notification-settings/FEE:NOTICE')
      .set('x-api-key', TEST_API_KEY)
      .send({ enabled: true, channels: ['push', 'email', 'in_app'], critical: false })
      .expect(200);
  });

  afterAll(async () => {
    sockets.forEach((socket) => socket.close());
    await signal?.close();
    await Promise.all([webhook?.close(), smtp?.close()]);
    await admin?.deleteTopics({ topics: [topic, `${topic}.dlq`] }).catch(() => undefined);
    await Promise.all([admin?.disconnect(), producer?.disconnect()]);
    await db?.drop();
  });

  async function registerDevice(user: string, token: string) {
    await http
      .post(`/admin/users/${user}/devices`)
      .set('x-api-key', TEST_API_KEY)
      .send({ app: APP, token, platform: 'android' })
      .expect(201);
  }

  async function emit(payload: object): Promise<string> {
    const answer = await http
      .post('/emit/inapp-noti')
      .set('x-api-key', TEST_API_KEY)
      .send(payload)
      .expect(202);
    return (answer.body as { id: string }).id;
  }

  /** Waits until the Consumer has finished the request; returns its final status. */
  async function finished(requestId: string): Promise<{ status: string; reason: string | null }> {
    return waitFor(
      `request ${requestId} to be finished`,
      async () => {
        const [row]: { status: string; reason: string | null }[] = await db.dataSource.query(
          `SELECT status, reason FROM phx_push_requests WHERE id = $1`,
          [requestId],
        );
        return row && row.status !== 'accepted' ? row : undefined;
      },
      { timeoutMs: 30_000 },
    );
  }

  async function deliveriesOf(requestId: string): Promise<Record<string, DeliveryRow>> {
    const rows: DeliveryRow[] = await db.dataSource.query(
      `SELECT channel, status, reason, attempts FROM phx_deliveries WHERE request_id = $1`,
      [requestId],
    );
    return Object.fromEntries(rows.map((row) => [row.channel, row]));
  }

  const pushesOf = (requestId: string) =>
    webhook.requests.filter((call) => call.json<WebhookPushRequest>().notificationId === requestId);
  const mailsTo = (address: string) => smtp.received.filter((m) => m.envelope.to.includes(address));

  const listenAs = (user: string) => recordsReceivedBy(signal.baseUrl, user, sockets);

  it('should deliver every channel once: record and live event, push to each device, rendered e-mail', async () => {
    await registerDevice('pc-full', 'token-live');
    await registerDevice('pc-full', 'token-dead');
    tokenAnswers.set('token-dead', 'dead');
    const live = await listenAs('pc-full');

    const id = await emit(aNotification('pc-full'));

    expect(await finished(id)).toEqual({ status: 'delivered', reason: null });
    const event = await waitFor('the live record event', () => live[0]);
    expect(event).toMatchObject({
      type: 'TO_ME',
      actionCode: 'FEE:NOTICE',
      moduleCode: 'FEE',
      studentId: 42,
      title: 'Thông báo học phí',
      message: 'Bạn có thông báo học phí mới',
      payload: { action: 'OPEN_FEE_NOTICE', feeId: 7 },
      hostname: 'portal.phx.vn',
      isRead: false,
    });

    const [push] = pushesOf(id);
    expect(pushesOf(id)).toHaveLength(1);
    expect(push.headers['idempotency-key']).toBe(id);
    expect(push.headers['x-signal-signature']).toBe(
      `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(push.rawBody).digest('hex')}`,
    );
    expect(push.json<WebhookPushRequest>()).toMatchObject({
      app: APP,
      moduleCode: 'FEE',
      title: 'Thông báo học phí',
      body: 'Bạn có thông báo học phí mới',
      data: { action: 'OPEN_FEE_NOTICE', feeId: '7' },
    });
    expect(push.json<WebhookPushRequest>().tokens.sort()).toEqual(['token-dead', 'token-live']);

    const [mail] = mailsTo('pc-full@example.com');
    expect(mailsTo('pc-full@example.com')).toHaveLength(1);
    expect(mail.mail.subject).toBe('Thông báo học phí tháng 11');
    expect(mail.mail.html).toContain('Nhà trường xin thông báo học phí');
    expect(mail.mail.html).toContain('Học phí tháng 11 là 1.500.000 đ');
    expect(mail.mail.text).toContain('Học phí tháng 11 là 1.500.000 đ');

    const deliveries = await deliveriesOf(id);
    expect(deliveries.push).toMatchObject({ status: 'sent', reason: '1 of 2 devices not reached' });
    expect(deliveries.email).toMatchObject({ status: 'sent', reason: null, attempts: 1 });
    expect(deliveries.in_app).toMatchObject({ status: 'sent', reason: null });

    const devices = await http
      .get('/admin/users/pc-full/devices')
      .set('x-api-key', TEST_API_KEY)
      .expect(200);
    const byToken = new Map(
      (devices.body as { token: string; active: boolean }[]).map((d) => [d.token, d.active]),
    );
    expect(byToken).toEqual(
      new Map([
        ['token-live', true],
        ['token-dead', false],
      ]),
    );

    const center = await http
      .get('/notification-center/records')
      .set('Authorization', `Bearer ${userToken({ sub: 'pc-full' })}`)
      .expect(200);
    expect((center.body as { items: { id: string }[] }).items).toEqual([
      expect.objectContaining({ id: event.id, title: 'Thông báo học phí' }),
    ]);
  });

  it('should skip push for a user without a device and still send the e-mail', async () => {
    const id = await emit(aNotification('pc-no-device'));

    expect(await finished(id)).toEqual({ status: 'delivered', reason: null });
    const deliveries = await deliveriesOf(id);
    expect(deliveries.push).toMatchObject({
      status: 'skipped',
      reason: `no active device of app ${APP}`,
    });
    expect(deliveries.email.status).toBe('sent');
    expect(pushesOf(id)).toHaveLength(0);
  });

  it('should retry a push provider outage with backoff, and record a permanent e-mail refusal', async () => {
    await registerDevice('pc-retry', 'token-retry');
    smtp.rejectRecipient('pc-retry@example.com', 550, 'mailbox unavailable');
    webhookOutages = 2;

    const id = await emit(aNotification('pc-retry'));

    const outcome = await finished(id);
    expect(outcome.status).toBe('partially_delivered');
    expect(outcome.reason).toContain('email: ');
    expect(outcome.reason).toContain('550');
    const deliveries = await deliveriesOf(id);
    expect(deliveries.push).toMatchObject({ status: 'sent', attempts: 3 });
    expect(deliveries.email).toMatchObject({ status: 'failed', attempts: 1 });
    expect(pushesOf(id)).toHaveLength(3);
    expect(new Set(pushesOf(id).map((call) => call.headers['idempotency-key']))).toEqual(
      new Set([id]),
    );
    expect(mailsTo('pc-retry@example.com')).toHaveLength(0);

    const log = await http
      .get(`/admin/notifications/${id}/deliveries`)
      .set('x-api-key', TEST_API_KEY)
      .expect(200);
    expect(JSON.stringify(log.body)).toContain('mailbox unavailable');
  });

  it('should settle each request of a batch on its own: transient retries, give-ups, dead tokens and successes side by side', async () => {
    await registerDevice('pc-batch-retry', 'token-batch-retry');
    tokenOutages.set('token-batch-retry', 1);
    await registerDevice('pc-batch-giveup', 'token-batch-giveup');
    smtp.rejectRecipient('pc-batch-giveup@example.com', 450, 'mailbox busy');
    await registerDevice('pc-batch-ok', 'token-batch-ok');
    await registerDevice('pc-batch-dead', 'token-batch-dead');
    tokenAnswers.set('token-batch-dead', 'dead');

    // Emitted together: the Consumer takes them in one batch, or in a few.
    const [retry, giveUp, ok, dead] = await Promise.all(
      ['pc-batch-retry', 'pc-batch-giveup', 'pc-batch-ok', 'pc-batch-dead'].map((user) =>
        emit(aNotification(user)),
      ),
    );

    expect(await finished(retry)).toEqual({ status: 'delivered', reason: null });
    expect(await finished(ok)).toEqual({ status: 'delivered', reason: null });
    const gaveUp = await finished(giveUp);
    expect(gaveUp.status).toBe('partially_delivered');
    expect(gaveUp.reason).toMatch(/^email: SMTP: .*mailbox busy.* \(gave up after 4 attempts\)$/);
    expect(await finished(dead)).toEqual({
      status: 'partially_delivered',
      reason: 'push: every device token is dead (deactivated)',
    });

    expect(await deliveriesOf(retry)).toMatchObject({
      push: { status: 'sent', reason: null, attempts: 2 },
      email: { status: 'sent', attempts: 1 },
    });
    expect(await deliveriesOf(giveUp)).toMatchObject({
      push: { status: 'sent', attempts: 1 },
      email: { status: 'failed', attempts: 4 },
    });
    expect(await deliveriesOf(ok)).toMatchObject({
      push: { status: 'sent', attempts: 1 },
      email: { status: 'sent', attempts: 1 },
    });
    expect(await deliveriesOf(dead)).toMatchObject({
      push: { status: 'failed', attempts: 1 },
      email: { status: 'sent', attempts: 1 },
    });
    expect([retry, giveUp, ok, dead].map((id) => pushesOf(id).length)).toEqual([2, 1, 1, 1]);
    expect(
      ['pc-batch-retry', 'pc-batch-giveup', 'pc-batch-ok', 'pc-batch-dead'].map(
        (user) => mailsTo(`${user}@example.com`).length,
      ),
    ).toEqual([1, 0, 1, 1]);

    // Each record ends up showing every channel as the delivery log has it.
    const records: { request_id: string; channel_status: Record<string, { status: string }> }[] =
      await db.dataSource.query(
        `SELECT request_id, channel_status FROM phx_notification_records WHERE request_id = ANY($1)`,
        [[retry, giveUp, ok, dead]],
      );
    expect(records).toHaveLength(4);
    for (const record of records) {
      const deliveries = await deliveriesOf(record.request_id);
      for (const channel of ['in_app', 'push', 'email']) {
        expect(record.channel_status[channel].status).toBe(deliveries[channel].status);
      }
    }
    const devices = await http
      .get('/admin/users/pc-batch-dead/devices')
      .set('x-api-key', TEST_API_KEY)
      .expect(200);
    expect(devices.body).toEqual([
      expect.objectContaining({ token: 'token-batch-dead', active: false }),
    ]);
  });

  it('should not deliver again when the hand-off arrives twice', async () => {
    const id = await emit(aNotification('pc-twice'));
    await finished(id);
    await producer.send({
      topic,
      messages: [{ key: 'pc-twice', value: JSON.stringify({ requestId: id }) }],
    });
    // Same key, same partition: once this one is finished, the duplicate before it was handled.
    const marker = await emit(aNotification('pc-twice'));
    await finished(marker);

    expect(mailsTo('pc-twice@example.com')).toHaveLength(2);
    const [{ count }]: { count: string }[] = await db.dataSource.query(
      `SELECT count(*) AS count FROM phx_notification_records WHERE request_id = ANY($1)`,
      [[id, marker]],
    );
    expect(Number(count)).toBe(2);
  });

  it('should dead-letter hand-offs that are not JSON, not a request id, or name no stored request', async () => {
    const unknown = randomUUID();
    await producer.send({
      topic,
      messages: [
        { key: 'pc-bad', value: 'not json' },
        { key: 'pc-bad', value: JSON.stringify({ id: 1 }) },
        { key: 'pc-bad', value: JSON.stringify({ requestId: unknown }) },
      ],
    });

    const dead = await readTopic(testKafka(uniqueName('it-phx-dlq')), `${topic}.dlq`, 3);
    const classes = dead.map((letter) => letter.headers[DeadLetterHeaders.ERROR_CLASS]);
    expect(classes).toEqual(['InvalidJson', 'SchemaViolation', 'UnknownRequest']);
    expect(dead[2].value).toBe(JSON.stringify({ requestId: unknown }));

    // The consumer moved on: the next notification is delivered.
    const id = await emit(aNotification('pc-after-bad'));
    expect((await finished(id)).status).toBe('delivered');
  });
});
