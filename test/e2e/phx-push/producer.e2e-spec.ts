import type { TestSchema } from '@signal/persistence/testing/test-schema';
import { Admin, Consumer } from 'kafkajs';
import request from 'supertest';
import { emailPayload, pushPayload } from '../../../libs/phx-node/test/payloads';
import { createTopic, testKafka } from '../../support/kafka';
import { createTestSchema, SignalTestApp, startSignalTestApp } from '../../support/signal-test-app';
import { TcpProxy } from '../../support/tcp-proxy';
import { TestServices } from '../../support/test-services';
import { TEST_API_KEY } from '../../support/tokens';
import { uniqueName } from '../../support/unique-name';
import { waitFor } from '../../support/wait-for';

interface HandOff {
  key: string | null;
  value: unknown;
}

interface DeliveryRow {
  channel: string;
  status: string;
  reason: string | null;
}

const PUSH = pushPayload().pushNotiMobile;
const EMAIL = emailPayload().sendEmailV3;

/** A valid seed-004 fee notice with both channel blocks; `overrides` replace root fields. */
function aPayload(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...pushPayload({ action_code: 'FEE:NOTICE' }), sendEmailV3: EMAIL, ...overrides };
}

/** Reads a topic from its start into `received`. */
async function readTopic(topic: string, received: HandOff[]): Promise<Consumer> {
  const consumer = testKafka(uniqueName('phx-reader')).consumer({
    groupId: uniqueName('phx-reader'),
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: ({ message }) => {
      received.push({
        key: message.key?.toString() ?? null,
        value: JSON.parse(message.value?.toString() ?? 'null'),
      });
      return Promise.resolve();
    },
  });
  return consumer;
}

describe('PHX Producer POST /emit/inapp-noti (real PostgreSQL and Kafka)', () => {
  const topic = uniqueName('phx-accepted');
  const received: HandOff[] = [];
  let db: TestSchema;
  let signal: SignalTestApp;
  let http: ReturnType<typeof request>;
  let admin: Admin;
  let reader: Consumer;

  beforeAll(async () => {
    admin = testKafka(uniqueName('phx-admin')).admin();
    await admin.connect();
    // One partition: hand-offs arrive in the order they were produced.
    await createTopic(admin, topic, 1);
    reader = await readTopic(topic, received);
    db = await createTestSchema('phx-producer');
    signal = await startSignalTestApp(db, { KAFKA_TOPIC_PHX_PUSH: topic });
    http = request(signal.app.getHttpServer());

    await putSetting('FEE:NOTICE', { channels: ['push', 'email', 'in_app'] });
    await putSetting('FEE:CRITICAL', { channels: ['push', 'email'], critical: true });
    await putSetting('BUS_ROUTE:DELAY', { enabled: false, channels: ['push'] });
    await putSetting('HRM_CHECKIN:FACEID', { channels: ['email'] });
  });

  afterAll(async () => {
    await reader?.disconnect();
    await admin?.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin?.disconnect();
    await signal?.close();
    await db?.drop();
  });

  async function putSetting(
    actionCode: string,
    setting: { enabled?: boolean; channels: string[]; critical?: boolean },
  ) {
    await http
      .put(`/admin/notification-settings/${actionCode}`)
      .set('x-api-key', TEST_API_KEY)
      .send({ enabled: true, critical: false, ...setting })
      .expect(200);
  }

  function emit(payload: unknown, idempotencyKey?: string) {
    const call = http.post('/emit/inapp-noti').set('x-api-key', TEST_API_KEY);
    return (idempotencyKey ? call.set('idempotency-key', idempotencyKey) : call).send(
      payload as object,
    );
  }

  async function deliveriesOf(requestId: string): Promise<DeliveryRow[]> {
    return db.dataSource.query(
      `SELECT channel, status, reason FROM phx_deliveries WHERE request_id = $1 ORDER BY channel`,
      [requestId],
    );
  }

  async function requestRow(id: string) {
    const [row]: {
      status: string;
      reason: string | null;
      user_id: string;
      type: string;
      handed_off_at: Date | null;
      payload: Record<string, unknown>;
    }[] = await db.dataSource.query(
      `SELECT status, reason, user_id, type, handed_off_at, payload FROM phx_push_requests WHERE id = $1`,
      [id],
    );
    return row;
  }

  const handOffsOf = (requestId: string) =>
    received.filter((handOff) => (handOff.value as { requestId?: string }).requestId === requestId);

  /** Sends a fresh accepted request and waits for its hand-off: everything produced before it is on the topic. */
  async function sendMarker(): Promise<void> {
    const { body } = await emit(aPayload({ user_id: 'marker' })).expect(202);
    const { id } = body as { id: string };
    await waitFor('the marker hand-off', () => (handOffsOf(id).length > 0 ? true : undefined));
  }

  it('should answer 400 naming every bad field, as text and as violations', async () => {
    const { body } = await emit(
      {
        user_id: -1,
        hostname: '',
        action_code: 'hrm_checkin:faceid',
        pushNotiMoblie: PUSH,
        sendEmailV3: { ...EMAIL, emailType: 'newsletter', to: 'not-an-address' },
      },
      'k'.repeat(256),
    ).expect(400);

    const violations = (body as { violations: { field: string; message: string }[] }).violations;
    expect(violations.map((violation) => violation.field).sort()).toEqual(
      [
        'action_code',
        'hostname',
        'idempotency-key',
        'pushNotiMoblie',
        'sendEmailV3.emailType',
        'sendEmailV3.to',
        'user_id',
      ].sort(),
    );
    expect(body).toMatchObject({
      statusCode: 400,
      error: 'INVALID_INPUT',
      message: violations.map(({ field, message }) => `${field}: ${message}`),
    });
    expect(body.message).toContain('hostname: must not be empty');
    const [{ count }]: { count: string }[] = await db.dataSource.query(
      `SELECT count(*) FROM phx_push_requests WHERE action_code = 'hrm_checkin:faceid'`,
    );
    expect(count).toBe('0');
  });

  it('should answer 400 when no channel block is given', async () => {
    const { body } = await emit(aPayload({ pushNotiMobile: undefined, sendEmailV3: undefined }));
    expect(body).toMatchObject({
      statusCode: 400,
      violations: [
        { field: 'pushNotiMobile|sendEmailV3|inApp', message: expect.stringMatching(/at least/) },
      ],
    });
  });

  it('should answer 401 without an API key or with an unknown one', async () => {
    await http.post('/emit/inapp-noti').send(aPayload()).expect(401);
    const { body } = await http
      .post('/emit/inapp-noti')
      .set('x-api-key', 'not-a-key')
      .send(aPayload())
      .expect(401);
    expect(body).toMatchObject({ error: 'API_KEY_UNKNOWN' });
  });

  describe('an action code without a notification setting', () => {
    it('should be delivered by default on every channel the request carries, and say so', async () => {
      const { body } = await emit(aPayload({ action_code: 'LIBRARY:OVERDUE' })).expect(202);

      expect(body).toEqual({
        status: 'accepted',
        message:
          'accepted for delivery through push, email, in_app (no setting: default, all channels)',
        id: expect.any(String),
      });
      expect(await requestRow(body.id)).toMatchObject({ status: 'accepted', reason: null });
      expect(await deliveriesOf(body.id)).toEqual([
        { channel: 'email', status: 'pending', reason: null },
        { channel: 'in_app', status: 'pending', reason: null },
        { channel: 'push', status: 'pending', reason: null },
      ]);
      await waitFor('the hand-off', () => (handOffsOf(body.id).length > 0 ? true : undefined));
    });

    it("should still apply the user's mutes", async () => {
      await http
        .put('/admin/users/u-muted-unconfigured/preferences')
        .set('x-api-key', TEST_API_KEY)
        .send({
          preferences: [
            { actionCode: 'LIBRARY:OVERDUE', channel: 'push', enabled: false },
            { actionCode: 'LIBRARY:OVERDUE', channel: 'in_app', enabled: false },
          ],
        })
        .expect(200);
      const muted = { user_id: 'u-muted-unconfigured', action_code: 'LIBRARY:OVERDUE' };

      const { body: emailLeft } = await emit(aPayload(muted)).expect(202);
      const { body: nothingLeft } = await emit(
        aPayload({ ...muted, sendEmailV3: undefined }),
      ).expect(200);

      expect(emailLeft.message).toBe(
        'accepted for delivery through email (no setting: default, all channels)',
      );
      expect(await deliveriesOf(emailLeft.id)).toEqual([
        { channel: 'email', status: 'pending', reason: null },
        { channel: 'in_app', status: 'skipped', reason: 'muted by the user' },
        { channel: 'push', status: 'skipped', reason: 'muted by the user' },
      ]);
      expect(nothingLeft).toMatchObject({
        status: 'not_delivered',
        message:
          'no channel to deliver through (push: muted by the user; email: request has no sendEmailV3 block; in_app: muted by the user)',
      });
    });

    describe('with PHX_UNCONFIGURED_ACTION_CODES=skip', () => {
      let skipping: SignalTestApp;

      beforeAll(async () => {
        // Same schema and topic: the same stored requests, another policy.
        skipping = await startSignalTestApp(db, {
          KAFKA_TOPIC_PHX_PUSH: topic,
          PHX_UNCONFIGURED_ACTION_CODES: 'skip',
        });
      });

      afterAll(async () => {
        await skipping?.close();
      });

      const emitToSkipping = (payload: object, idempotencyKey: string) =>
        request(skipping.app.getHttpServer())
          .post('/emit/inapp-noti')
          .set('x-api-key', TEST_API_KEY)
          .set('idempotency-key', idempotencyKey)
          .send(payload);

      it('should not be delivered, and say so', async () => {
        const { body } = await emitToSkipping(
          aPayload({ action_code: 'LIBRARY:OVERDUE' }),
          uniqueName('skip'),
        ).expect(200);

        expect(body).toEqual({
          status: 'not_delivered',
          message: 'action_code LIBRARY:OVERDUE has no notification setting',
          id: expect.any(String),
        });
        const row = await requestRow(body.id);
        expect(row).toMatchObject({ status: 'not_delivered', reason: body.message });
        expect(await deliveriesOf(body.id)).toEqual([]);
        // A configured code goes out as ever.
        await emitToSkipping(aPayload(), uniqueName('skip-configured')).expect(202);
      });

      it('should keep the first answer to a key whichever policy answers its repeats', async () => {
        const skippedKey = uniqueName('skipped-first');
        const deliveredKey = uniqueName('delivered-first');
        const unconfigured = aPayload({ action_code: 'LIBRARY:OVERDUE' });
        const skipped = await emitToSkipping(unconfigured, skippedKey).expect(200);
        const delivered = await emit(unconfigured, deliveredKey).expect(202);

        const skippedAgain = await emit(unconfigured, skippedKey).expect(200);
        const deliveredAgain = await emitToSkipping(unconfigured, deliveredKey).expect(202);

        expect(skippedAgain.body).toEqual(skipped.body);
        expect(deliveredAgain.body).toEqual(delivered.body);
      });
    });
  });

  it('should not deliver a disabled action code, and say so', async () => {
    const { body } = await emit(aPayload({ action_code: 'BUS_ROUTE:DELAY' })).expect(200);

    expect(body).toMatchObject({
      status: 'not_delivered',
      message: 'notifications of action_code BUS_ROUTE:DELAY are disabled',
    });
    expect(await requestRow(body.id)).toMatchObject({ status: 'not_delivered' });
  });

  it('should skip e-mail for a user who muted it and still push, with the reason per channel', async () => {
    await http
      .put('/admin/users/u-muted/preferences')
      .set('x-api-key', TEST_API_KEY)
      .send({ preferences: [{ actionCode: 'FEE:NOTICE', channel: 'email', enabled: false }] })
      .expect(200);

    const { body } = await emit(aPayload({ user_id: 'u-muted' })).expect(202);

    expect(body).toEqual({
      status: 'accepted',
      message: 'accepted for delivery through push, in_app',
      id: expect.any(String),
    });
    expect(await deliveriesOf(body.id)).toEqual([
      { channel: 'email', status: 'skipped', reason: 'muted by the user' },
      { channel: 'in_app', status: 'pending', reason: null },
      { channel: 'push', status: 'pending', reason: null },
    ]);
    const row = await requestRow(body.id);
    expect(row).toMatchObject({ status: 'accepted', user_id: 'u-muted', type: 'TO_ME' });
    expect(row.payload).toEqual(aPayload({ user_id: 'u-muted' }));
  });

  it('should ignore the mute for a critical action code', async () => {
    await http
      .put('/admin/users/u-critical/preferences')
      .set('x-api-key', TEST_API_KEY)
      .send({
        preferences: [
          { actionCode: 'FEE:CRITICAL', channel: 'email', enabled: false },
          { actionCode: 'FEE:CRITICAL', channel: 'push', enabled: false },
        ],
      })
      .expect(200);

    const { body } = await emit(
      aPayload({ user_id: 'u-critical', action_code: 'FEE:CRITICAL' }),
    ).expect(202);

    expect(body.message).toBe('accepted for delivery through push, email');
    expect(await deliveriesOf(body.id)).toEqual([
      { channel: 'email', status: 'pending', reason: null },
      { channel: 'in_app', status: 'skipped', reason: 'channel not enabled for FEE:CRITICAL' },
      { channel: 'push', status: 'pending', reason: null },
    ]);
  });

  it('should not deliver when no channel is left, listing why for each', async () => {
    const { body } = await emit(
      aPayload({ action_code: 'HRM_CHECKIN:FACEID', sendEmailV3: undefined }),
    ).expect(200);

    expect(body).toMatchObject({ status: 'not_delivered' });
    expect(body.message).toContain('email: request has no sendEmailV3 block');
    expect(body.message).toContain('push: channel not enabled for HRM_CHECKIN:FACEID');
    expect((await deliveriesOf(body.id)).map((d) => d.status)).toEqual([
      'skipped',
      'skipped',
      'skipped',
    ]);
    expect(await requestRow(body.id)).toMatchObject({ status: 'not_delivered' });
  });

  it('should accept an in-app-only notice, defaulting the tab to SYSTEM', async () => {
    const { body } = await emit({
      user_id: 'u-inapp',
      hostname: 'portal.phx.vn',
      action_code: 'FEE:NOTICE',
      inApp: { title: 'Học phí', message: 'Đã cập nhật' },
    }).expect(202);

    expect(body.message).toBe('accepted for delivery through in_app');
    expect(await requestRow(body.id)).toMatchObject({ type: 'SYSTEM' });
  });

  it('should hand an accepted request to the Consumer topic, keyed by user id', async () => {
    const { body } = await emit(aPayload({ user_id: 'u-handoff' })).expect(202);

    const [handOff] = await waitFor('the hand-off', () => {
      const found = handOffsOf(body.id);
      return found.length > 0 ? found : undefined;
    });
    expect(handOff).toEqual({ key: 'u-handoff', value: { requestId: body.id } });
    await waitFor('handed_off_at', async () =>
      (await requestRow(body.id)).handed_off_at ? true : undefined,
    );
  });

  it('should answer a repeated idempotency key the same way, storing and handing off once', async () => {
    const key = uniqueName('repeat');
    const first = await emit(aPayload({ user_id: 'u-repeat' }), key).expect(202);
    const again = await emit(aPayload({ user_id: 'u-repeat' }), key).expect(202);
    // A concurrent burst with another key: every duplicate gets the one stored answer.
    const burstKey = uniqueName('burst');
    const burst = await Promise.all(
      Array.from({ length: 5 }, () => emit(aPayload({ user_id: 'u-burst' }), burstKey)),
    );

    expect(again.body).toEqual(first.body);
    expect(new Set(burst.map((response) => response.status))).toEqual(new Set([202]));
    expect(new Set(burst.map((response) => (response.body as { id: string }).id)).size).toBe(1);
    const counts: { user_id: string; count: string }[] = await db.dataSource.query(
      `SELECT user_id, count(*) FROM phx_push_requests
        WHERE user_id IN ('u-repeat', 'u-burst') GROUP BY user_id ORDER BY user_id`,
    );
    expect(counts).toEqual([
      { user_id: 'u-burst', count: '1' },
      { user_id: 'u-repeat', count: '1' },
    ]);
    await sendMarker();
    expect(handOffsOf(first.body.id)).toHaveLength(1);
    expect(handOffsOf(burst[0].body.id)).toHaveLength(1);
  });

  it('should repeat a not-delivered answer for the same key with 200 and the same id', async () => {
    const key = uniqueName('repeat-not-delivered');
    const first = await emit(aPayload({ action_code: 'BUS_ROUTE:DELAY' }), key).expect(200);
    // Enabling the code since does not change the answer to the same request.
    await putSetting('BUS_ROUTE:DELAY', { channels: ['push'] });
    const again = await emit(aPayload({ action_code: 'BUS_ROUTE:DELAY' }), key).expect(200);
    await putSetting('BUS_ROUTE:DELAY', { enabled: false, channels: ['push'] });

    expect(again.body).toEqual(first.body);
  });

  describe('with Kafka unreachable', () => {
    let outboxDb: TestSchema;
    let outboxApp: SignalTestApp;
    let proxy: TcpProxy;

    beforeAll(async () => {
      const [host, port] = TestServices.kafkaBrokers[0].split(':');
      proxy = new TcpProxy(host, Number(port));
      await proxy.start();
      // Keep the port and refuse on it: the app's broker address points at nothing.
      await proxy.stop();
      outboxDb = await createTestSchema('phx-producer-outbox');
      outboxApp = await startSignalTestApp(outboxDb, {
        KAFKA_TOPIC_PHX_PUSH: topic,
        KAFKA_BROKERS: `127.0.0.1:${proxy.port}`,
        PHX_OUTBOX_INTERVAL_MS: '200',
        PHX_OUTBOX_AFTER_MS: '100',
      });
      await request(outboxApp.app.getHttpServer())
        .put('/admin/notification-settings/FEE:NOTICE')
        .set('x-api-key', TEST_API_KEY)
        .send({ enabled: true, critical: false, channels: ['push'] })
        .expect(200);
    });

    afterAll(async () => {
      await outboxApp?.close();
      await outboxDb?.drop();
      await proxy?.stop();
    });

    it('should accept, then hand off through the outbox once Kafka is back', async () => {
      const { body } = await request(outboxApp.app.getHttpServer())
        .post('/emit/inapp-noti')
        .set('x-api-key', TEST_API_KEY)
        .send(aPayload({ user_id: 'u-outbox' }))
        .expect(202);

      const [row]: { handed_off_at: Date | null }[] = await outboxDb.dataSource.query(
        `SELECT handed_off_at FROM phx_push_requests WHERE id = $1`,
        [body.id],
      );
      expect(row.handed_off_at).toBeNull();
      expect(handOffsOf(body.id)).toEqual([]);

      await proxy.start();

      const [handOff] = await waitFor(
        'the outbox hand-off',
        () => {
          const found = handOffsOf(body.id);
          return found.length > 0 ? found : undefined;
        },
        { timeoutMs: 40_000 },
      );
      expect(handOff).toEqual({ key: 'u-outbox', value: { requestId: body.id } });
      await waitFor('handed_off_at', async () => {
        const [marked]: { handed_off_at: Date | null }[] = await outboxDb.dataSource.query(
          `SELECT handed_off_at FROM phx_push_requests WHERE id = $1`,
          [body.id],
        );
        return marked.handed_off_at ? true : undefined;
      });
    });
  });
});
