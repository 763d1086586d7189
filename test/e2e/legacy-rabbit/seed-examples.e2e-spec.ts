import { contentKey } from '../../../apps/signal/src/common/content-key';
import { legacyV1Minimum } from '../../fixtures/legacy-v1';
import { LoopbackHttpServer } from '../../support/loopback-http-server';
import { TEST_API_KEY } from '../../support/tokens';
import { waitFor } from '../../support/wait-for';
import { LegacyRabbitHarness } from './legacy-rabbit-harness';

interface PushCall {
  app: string;
  title: string;
  data: Record<string, string>;
  tokens: string[];
}

describe('Legacy V1 events: the seed 003 examples through the PHX pipeline (real RabbitMQ, PostgreSQL, Kafka)', () => {
  let harness: LegacyRabbitHarness;
  /** The push provider: a webhook that reports every token sent. */
  let push: LoopbackHttpServer;

  beforeAll(async () => {
    push = await LoopbackHttpServer.start((call) => ({
      status: 200,
      body: {
        results: call.json<PushCall>().tokens.map((token) => ({ token, status: 'sent' })),
      },
    }));
    harness = await LegacyRabbitHarness.create('seed', {
      PUSH_PROVIDER: 'webhook',
      PUSH_WEBHOOK_URL: `${push.url}/push`,
    });
    await harness.start();
    for (const user of ['user-789', 'user-123', 'minimum-user']) {
      await harness
        .http()
        .post(`/admin/users/${user}/devices`)
        .set('x-api-key', TEST_API_KEY)
        .send({ app: 'LEGACY_V1', token: `token-of-${user}`, platform: 'android' })
        .expect(201);
    }
    await harness.enable('LOAPHUONG:ANNOUNCEMENT_CREATED');
    await harness.enable('TASK:TASK_ASSIGNED');
    await harness.enable('PAYMENT:PAYMENT_COMPLETED');
  });

  afterAll(async () => {
    await harness?.close();
    await push?.close();
  });

  it.each([
    ['task', 'user-789', 'TASK:TASK_ASSIGNED', '/tasks/task-456'],
    ['payment', 'user-123', 'PAYMENT:PAYMENT_COMPLETED', '/payments/payment-789'],
  ] as const)(
    'should deliver the %s example to its user with push, in-app and the redirect URL',
    async (name, user, actionCode, redirectUrl) => {
      const event = harness.example(name);

      await harness.publish(event);

      const [request] = await waitFor('the Producer request', async () => {
        const rows = await harness.requestsOf(event.eventId);
        return rows.length > 0 ? rows : undefined;
      });
      expect(request).toMatchObject({ user_id: user, action_code: actionCode, type: 'TO_ME' });
      expect(request.payload.pushNotiMobile).toMatchObject({
        title: event.payload.notification.title,
        module_code: actionCode.split(':')[0],
        app: 'LEGACY_V1',
        payload: { redirectUrl, contentId: event.payload.contentId },
      });
      expect(request.payload.inApp?.payload.redirectUrl).toBe(redirectUrl);
      const [record] = await harness.settledRecordsOf(event.eventId, 1);
      expect(record).toMatchObject({ user_id: user, action_code: actionCode, in_center: true });
      expect(record.payload.redirectUrl).toBe(redirectUrl);
      expect(record.channel_status.in_app.status).toBe('sent');
      expect(record.channel_status.push.status).toBe('sent');
      const pushed = push.requests
        .map((call) => call.json<PushCall>())
        .find((call) => call.tokens.includes(`token-of-${user}`));
      expect(pushed).toMatchObject({ app: 'LEGACY_V1', title: event.payload.notification.title });
      expect(JSON.stringify(pushed?.data)).toContain(redirectUrl);
    },
  );

  it("should deliver the seed's Minimum Required envelope (no eventId, timestamp, metadata) with push, in-app and the redirect URL once it names a target", async () => {
    // As the seed writes it, it names nobody: see dead-letters.e2e-spec.ts.
    const event = legacyV1Minimum();
    event.payload.notification.targetUsers = ['minimum-user'];

    await harness.publish(event);

    await harness.processed(contentKey(event));
    const [record] = await harness.settledRecordsFor('minimum-user', 1);
    expect(record).toMatchObject({
      action_code: 'LOAPHUONG:ANNOUNCEMENT_CREATED',
      in_center: true,
      payload: { redirectUrl: '/announcements/announcement-123', contentId: 'announcement-123' },
      channel_status: { in_app: { status: 'sent' }, push: { status: 'sent' } },
    });
    expect(record.payload).not.toHaveProperty('eventId');
    const requests = await harness.requestsFor('minimum-user');
    expect(requests.map(({ type, action_code }) => ({ type, action_code }))).toEqual([
      { type: 'TO_ME', action_code: 'LOAPHUONG:ANNOUNCEMENT_CREATED' },
    ]);
    const pushed = push.requests
      .map((call) => call.json<PushCall>())
      .find((call) => call.tokens.includes('token-of-minimum-user'));
    expect(pushed).toMatchObject({ app: 'LEGACY_V1', title: event.payload.notification.title });
  });

  it("should deliver the seed's full envelope to its targetUsers and the members of its targetRoles, with its own redirectUrl", async () => {
    await harness.addRoleMember('RESIDENT', 'resident-1');
    await harness.addRoleMember('RESIDENT', 'resident-2');
    await harness.addRoleMember('ADMIN', 'admin-1');
    const event = harness.example('full');

    await harness.publish(event);

    const records = await harness.settledRecordsOf(event.eventId, 5);
    expect(records.map((record) => record.user_id)).toEqual([
      'admin-1',
      'resident-1',
      'resident-2',
      'user-123',
      'user-456',
    ]);
    for (const record of records) {
      expect(record).toMatchObject({
        action_code: 'LOAPHUONG:ANNOUNCEMENT_CREATED',
        payload: {
          redirectUrl: '/announcements/announcement-123',
          data: { announcementId: 'announcement-123', category: 'general' },
        },
        channel_status: { in_app: { status: 'sent' } },
      });
    }
    const requests = await harness.requestsOf(event.eventId);
    expect(Object.fromEntries(requests.map((request) => [request.user_id, request.type]))).toEqual({
      'admin-1': 'SYSTEM',
      'resident-1': 'SYSTEM',
      'resident-2': 'SYSTEM',
      'user-123': 'TO_ME',
      'user-456': 'TO_ME',
    });
    // The seed's own correlationId, which the adapter sent to the Producer as x-correlation-id.
    expect(new Set(requests.map((request) => request.correlation_id))).toEqual(
      new Set(['correlation-id-123']),
    );
  });

  it('should deliver the loa phường example to every RESIDENT of the role directory', async () => {
    await harness.addRoleMember('RESIDENT', 'resident-1');
    await harness.addRoleMember('RESIDENT', 'resident-2');
    const event = harness.example('loaphuong');

    await harness.publish(event);

    const records = await harness.settledRecordsOf(event.eventId, 2);
    expect(records.map((record) => record.user_id)).toEqual(['resident-1', 'resident-2']);
    for (const record of records) {
      expect(record.payload.redirectUrl).toBe('/announcements/announcement-123');
      expect(record.action_code).toBe('LOAPHUONG:ANNOUNCEMENT_CREATED');
    }
    const requests = await harness.requestsOf(event.eventId);
    expect(requests.map((request) => request.type)).toEqual(['SYSTEM', 'SYSTEM']);
  });

  it('should notify a user both in a target role and in targetUsers once, and only the asked channel', async () => {
    await harness.addRoleMember('BOARD', 'board-1');
    await harness.addRoleMember('BOARD', 'both-1');
    const event = harness.example('loaphuong', (e) => {
      e.payload.notification.targetRoles = ['BOARD'];
      e.payload.notification.targetUsers = ['both-1', 'direct-1'];
      e.payload.notification.channels = ['in-app'];
      e.payload.redirectUrl = '/custom/board';
    });

    await harness.publish(event);

    await harness.processed(event.eventId);
    const requests = await harness.requestsOf(event.eventId);
    expect(requests.map((request) => request.user_id).sort()).toEqual([
      'board-1',
      'both-1',
      'direct-1',
    ]);
    for (const request of requests) {
      expect(request.payload.pushNotiMobile).toBeUndefined();
      expect(request.payload.inApp?.payload.redirectUrl).toBe('/custom/board');
    }
    const records = await harness.settledRecordsOf(event.eventId, 3);
    for (const record of records) {
      expect(record.channel_status.in_app.status).toBe('sent');
      expect(record.channel_status.push).toEqual({
        status: 'skipped',
        reason: 'request has no pushNotiMobile block',
      });
    }
  });

  it('should deliver an event whose action code nobody configured on its channels, by default (seed 004)', async () => {
    const event = harness.example('task', (e) => {
      e.eventType = 'task.TaskCommented';
    });

    await harness.publish(event);

    const [record] = await harness.settledRecordsOf(event.eventId, 1);
    expect(record).toMatchObject({
      user_id: 'user-789',
      action_code: 'TASK:TASK_COMMENTED',
      in_center: true,
    });
    expect(record.channel_status.in_app.status).toBe('sent');
    expect(record.channel_status.push.status).toBe('sent');
    const pushed = push.requests
      .map((call) => call.json<PushCall>())
      .filter((call) => call.data.eventId === event.eventId);
    expect(pushed).toHaveLength(1);
    // The request is completed just after its record's channels are.
    const logged = await waitFor('the delivery log to show the request delivered', async () => {
      const { body } = await harness
        .http()
        .get('/admin/users/user-789/deliveries')
        .query({ actionCode: 'TASK:TASK_COMMENTED' })
        .set('x-api-key', TEST_API_KEY)
        .expect(200);
      const items = (body as { items: { status: string }[] }).items;
      return items.length > 0 && items.every((item) => item.status === 'delivered')
        ? items
        : undefined;
    });
    expect(logged).toEqual([
      expect.objectContaining({ decidedBy: 'no setting: default, all channels' }),
    ]);
  });

  describe('role directory REST', () => {
    it('should put, list and remove members idempotently', async () => {
      await harness.addRoleMember('STAFF', 'u-2');
      await harness.addRoleMember('STAFF', 'u-1');
      await harness.addRoleMember('STAFF', 'u-1');
      const list = () =>
        harness.http().get('/admin/roles/STAFF/members').set('x-api-key', TEST_API_KEY).expect(200);

      expect((await list()).body).toEqual({ role: 'STAFF', members: ['u-1', 'u-2'] });

      await harness
        .http()
        .delete('/admin/roles/STAFF/members/u-2')
        .set('x-api-key', TEST_API_KEY)
        .expect(204);
      await harness
        .http()
        .delete('/admin/roles/STAFF/members/u-2')
        .set('x-api-key', TEST_API_KEY)
        .expect(204);
      expect((await list()).body).toEqual({ role: 'STAFF', members: ['u-1'] });
    });

    it('should refuse a missing API key and a bad role', async () => {
      await harness.http().get('/admin/roles/STAFF/members').expect(401);
      const bad = await harness
        .http()
        .put('/admin/roles/bad%20role/members/u-1')
        .set('x-api-key', TEST_API_KEY)
        .expect(400);
      expect(JSON.stringify(bad.body)).toContain('role must be 1-64 letters');
    });
  });
});
