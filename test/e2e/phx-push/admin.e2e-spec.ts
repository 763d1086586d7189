import type { TestSchema } from '@signal/persistence/testing/test-schema';
import request from 'supertest';
import { pushPayload } from '../../../libs/phx-node/test/payloads';
import { createTestSchema, SignalTestApp, startSignalTestApp } from '../../support/signal-test-app';
import { TEST_API_KEY, userToken } from '../../support/tokens';
import { uniqueName } from '../../support/unique-name';

interface LogEntry {
  id: string;
  actionCode: string;
  status: string;
  reason: string | null;
  createdAt: string;
  deliveries: { channel: string; status: string; reason: string | null; attempts: number }[];
}

describe('PHX admin REST (real PostgreSQL)', () => {
  let db: TestSchema;
  let signal: SignalTestApp;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    db = await createTestSchema('phx-admin');
    signal = await startSignalTestApp(db, { KAFKA_TOPIC_PHX_PUSH: uniqueName('phx-admin') });
    http = request(signal.app.getHttpServer());
  });

  afterAll(async () => {
    await signal?.close();
    await db?.drop();
  });

  const asAdmin = {
    get: (path: string) => http.get(path).set('x-api-key', TEST_API_KEY),
    put: (path: string, body: object) => http.put(path).set('x-api-key', TEST_API_KEY).send(body),
    post: (path: string, body: object) => http.post(path).set('x-api-key', TEST_API_KEY).send(body),
    delete: (path: string) => http.delete(path).set('x-api-key', TEST_API_KEY),
  };

  describe('notification settings', () => {
    it('should create, read, list, replace and delete a setting', async () => {
      const created = await asAdmin
        .put('/admin/notification-settings/HRM_CHECKIN:LAMTHEM:DUYETDANGKY', {
          enabled: true,
          channels: ['push', 'in_app'],
          critical: false,
          description: 'Duyệt đăng ký làm thêm',
        })
        .expect(200);
      expect(created.body).toMatchObject({
        actionCode: 'HRM_CHECKIN:LAMTHEM:DUYETDANGKY',
        enabled: true,
        channels: ['push', 'in_app'],
        critical: false,
        description: 'Duyệt đăng ký làm thêm',
      });

      const replaced = await asAdmin
        .put('/admin/notification-settings/HRM_CHECKIN:LAMTHEM:DUYETDANGKY', {
          enabled: false,
          channels: ['email'],
          critical: true,
        })
        .expect(200);
      expect(replaced.body).toMatchObject({
        enabled: false,
        channels: ['email'],
        critical: true,
        description: null,
        createdAt: created.body.createdAt,
      });

      await asAdmin
        .get('/admin/notification-settings/HRM_CHECKIN:LAMTHEM:DUYETDANGKY')
        .expect(200, replaced.body);
      const list = await asAdmin.get('/admin/notification-settings').expect(200);
      expect(list.body).toContainEqual(replaced.body);

      await asAdmin
        .delete('/admin/notification-settings/HRM_CHECKIN:LAMTHEM:DUYETDANGKY')
        .expect(204);
      const missing = await asAdmin
        .get('/admin/notification-settings/HRM_CHECKIN:LAMTHEM:DUYETDANGKY')
        .expect(404);
      expect(missing.body).toMatchObject({ error: 'NOT_FOUND' });
      await asAdmin
        .delete('/admin/notification-settings/HRM_CHECKIN:LAMTHEM:DUYETDANGKY')
        .expect(404);
    });

    it('should refuse a bad action code and a bad body, saying what is wrong', async () => {
      const badCode = await asAdmin
        .put('/admin/notification-settings/hrm_checkin:faceid', {
          enabled: true,
          channels: ['push'],
          critical: false,
        })
        .expect(400);
      expect(badCode.body.message).toEqual([
        expect.stringMatching(/^actionCode must be UPPER_SNAKE levels joined by ":"/),
      ]);
      await asAdmin.get('/admin/notification-settings/HRM_CHECKIN-FACEID').expect(400);

      const badBody = await asAdmin
        .put('/admin/notification-settings/FEE:NOTICE', {
          enabled: 'yes',
          channels: ['push', 'sms', 'push'],
          extra: 1,
        })
        .expect(400);
      const messages = (badBody.body as { message: string[] }).message;
      expect(messages).toEqual(
        expect.arrayContaining([
          'enabled must be a boolean value',
          'critical must be a boolean value',
          'channels must not repeat a channel',
          'each of channels must be one of push, email, in_app',
          'property extra should not exist',
        ]),
      );
      await asAdmin
        .put('/admin/notification-settings/FEE:NOTICE', {
          enabled: true,
          channels: [],
          critical: false,
        })
        .expect(400);
    });

    it('should answer 401 without an API key', async () => {
      await http.get('/admin/notification-settings').expect(401);
      await http.get('/admin/users/u-1/devices').expect(401);
    });
  });

  describe('user preferences', () => {
    it('should replace the whole set and read it back', async () => {
      await asAdmin.get('/admin/users/u-prefs/preferences').expect(200, []);
      const first = await asAdmin
        .put('/admin/users/u-prefs/preferences', {
          preferences: [
            { actionCode: 'FEE:NOTICE', channel: 'email', enabled: false },
            { actionCode: 'BUS_ROUTE:DELAY', channel: 'push', enabled: false },
          ],
        })
        .expect(200);
      // Answered in the order a read gives.
      await asAdmin.get('/admin/users/u-prefs/preferences').expect(200, first.body);
      expect((first.body as { actionCode: string }[]).map((p) => p.actionCode)).toEqual([
        'BUS_ROUTE:DELAY',
        'FEE:NOTICE',
      ]);

      const replaced = await asAdmin
        .put('/admin/users/u-prefs/preferences', {
          preferences: [{ actionCode: 'FEE:NOTICE', channel: 'push', enabled: true }],
        })
        .expect(200);

      expect(replaced.body).toEqual([
        { actionCode: 'FEE:NOTICE', channel: 'push', enabled: true, updatedAt: expect.any(String) },
      ]);
      await asAdmin.get('/admin/users/u-prefs/preferences').expect(200, replaced.body);
    });

    it('should refuse bad entries and repeated pairs', async () => {
      const bad = await asAdmin
        .put('/admin/users/u-prefs/preferences', {
          preferences: [{ actionCode: 'fee', channel: 'sms', enabled: 'no' }],
        })
        .expect(400);
      expect(bad.body.message).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^preferences\.0\.actionCode: actionCode must be UPPER_SNAKE/),
          'preferences.0.channel: channel must be one of push, email, in_app',
          'preferences.0.enabled: enabled must be a boolean value',
        ]),
      );

      const repeated = await asAdmin
        .put('/admin/users/u-prefs/preferences', {
          preferences: [
            { actionCode: 'FEE:NOTICE', channel: 'push', enabled: true },
            { actionCode: 'FEE:NOTICE', channel: 'push', enabled: false },
          ],
        })
        .expect(400);
      expect(repeated.body.message).toBe('preferences: FEE:NOTICE / push appears more than once');
      const kept = await asAdmin.get('/admin/users/u-prefs/preferences').expect(200);
      expect(kept.body).toHaveLength(1);
    });
  });

  describe('devices', () => {
    it('should register, list and unregister a device of a user', async () => {
      const { body: device } = await asAdmin
        .post('/admin/users/u-dev/devices', { app: 'PHX_PARENT', token: 'tok-1', platform: 'ios' })
        .expect(201);
      expect(device).toMatchObject({
        id: expect.any(String),
        userId: 'u-dev',
        app: 'PHX_PARENT',
        token: 'tok-1',
        platform: 'ios',
        active: true,
      });

      const listed = await asAdmin.get('/admin/users/u-dev/devices').expect(200);
      expect((listed.body as { id: string }[]).map((d) => d.id)).toEqual([
        (device as { id: string }).id,
      ]);

      await asAdmin.delete(`/admin/users/someone-else/devices/${device.id}`).expect(404);
      await asAdmin.delete(`/admin/users/u-dev/devices/${device.id}`).expect(204);
      await asAdmin.get('/admin/users/u-dev/devices').expect(200, []);
      await asAdmin.delete(`/admin/users/u-dev/devices/${device.id}`).expect(404);
    });

    it('should move a re-registered token to its new user and re-activate it', async () => {
      const { body: first } = await asAdmin
        .post('/admin/users/u-old/devices', { app: 'PHX_PARENT', token: 'tok-moved' })
        .expect(201);
      await db.dataSource.query(
        `UPDATE phx_device_tokens SET active = false, deactivated_reason = 'UNREGISTERED' WHERE id = $1`,
        [first.id],
      );

      const { body: moved } = await asAdmin
        .post('/admin/users/u-new/devices', {
          app: 'PHX_PARENT',
          token: 'tok-moved',
          platform: 'android',
        })
        .expect(201);

      expect(moved).toMatchObject({
        id: first.id,
        userId: 'u-new',
        platform: 'android',
        active: true,
        deactivatedReason: null,
      });
      await asAdmin.get('/admin/users/u-old/devices').expect(200, []);
    });

    it('should refuse a bad device body', async () => {
      const { body } = await asAdmin
        .post('/admin/users/u-dev/devices', { app: '', token: 'has space', platform: 'symbian' })
        .expect(400);
      expect(body.message).toEqual(
        expect.arrayContaining([
          'app should not be empty',
          'token must be 1-4096 characters without whitespace',
          'platform must be one of ios, android, web',
        ]),
      );
      await asAdmin.delete('/admin/users/u-dev/devices/not-a-uuid').expect(400);
    });

    it("should let a signed-in user register and unregister their own device, and no one else's", async () => {
      const auth = `Bearer ${userToken({ sub: 'u-jwt' })}`;
      const { body: device } = await http
        .post('/notification-center/devices')
        .set('Authorization', auth)
        .send({ app: 'PHX_TEACHER', token: 'tok-jwt', platform: 'web' })
        .expect(201);
      expect(device).toMatchObject({ userId: 'u-jwt', app: 'PHX_TEACHER', active: true });

      await http
        .delete(`/notification-center/devices/${device.id}`)
        .set('Authorization', `Bearer ${userToken({ sub: 'u-intruder' })}`)
        .expect(404);
      await http.post('/notification-center/devices').send({ app: 'A', token: 't' }).expect(401);
      await http
        .delete(`/notification-center/devices/${device.id}`)
        .set('Authorization', auth)
        .expect(204);
      await asAdmin.get('/admin/users/u-jwt/devices').expect(200, []);
    });
  });

  describe('delivery log', () => {
    const emit = (payload: object) =>
      http.post('/emit/inapp-noti').set('x-api-key', TEST_API_KEY).send(payload);
    const aPush = (userId: string, actionCode: string) =>
      pushPayload({ user_id: userId, action_code: actionCode });

    it('should explain why a user did (not) get a notification: unconfigured, disabled, muted', async () => {
      await asAdmin
        .put('/admin/notification-settings/BUS_ROUTE:DELAY', {
          enabled: false,
          channels: ['push'],
          critical: false,
        })
        .expect(200);
      await asAdmin
        .put('/admin/notification-settings/HRM_CHECKIN:FACEID', {
          enabled: true,
          channels: ['push', 'in_app'],
          critical: false,
        })
        .expect(200);
      await asAdmin
        .put('/admin/users/u-why/preferences', {
          preferences: [{ actionCode: 'HRM_CHECKIN:FACEID', channel: 'push', enabled: false }],
        })
        .expect(200);

      const unconfigured = (await emit(aPush('u-why', 'LIBRARY:OVERDUE')).expect(202)).body;
      const disabled = (await emit(aPush('u-why', 'BUS_ROUTE:DELAY')).expect(200)).body;
      const muted = (
        await emit(aPush('u-why', 'HRM_CHECKIN:FACEID'))
          .set('x-correlation-id', 'it-admin-why-muted')
          .expect(202)
      ).body;

      const one = await asAdmin.get(`/admin/notifications/${muted.id}/deliveries`).expect(200);
      expect(one.body).toMatchObject({
        id: muted.id,
        userId: 'u-why',
        actionCode: 'HRM_CHECKIN:FACEID',
        status: 'accepted',
        decidedBy: 'setting: push, in_app',
        correlationId: 'it-admin-why-muted',
        deliveries: [
          {
            channel: 'email',
            status: 'skipped',
            reason: 'channel not enabled for HRM_CHECKIN:FACEID',
          },
          { channel: 'in_app', status: 'pending', reason: null, attempts: 0 },
          { channel: 'push', status: 'skipped', reason: 'muted by the user', attempts: 0 },
        ],
      });

      const { body: page } = await asAdmin.get('/admin/users/u-why/deliveries').expect(200);
      const entries = (page as { items: LogEntry[] }).items;
      expect(entries.map((entry) => entry.id)).toEqual([muted.id, disabled.id, unconfigured.id]);
      expect(entries[1]).toMatchObject({
        actionCode: 'BUS_ROUTE:DELAY',
        status: 'not_delivered',
        reason: 'notifications of action_code BUS_ROUTE:DELAY are disabled',
        decidedBy: 'setting: disabled',
        deliveries: [],
      });
      // Seed 004: an action code nobody configured goes out on every channel it carries.
      expect(entries[2]).toMatchObject({
        actionCode: 'LIBRARY:OVERDUE',
        status: 'accepted',
        reason: null,
        decidedBy: 'no setting: default, all channels',
        deliveries: [
          { channel: 'email', status: 'skipped', reason: 'request has no sendEmailV3 block' },
          { channel: 'in_app', status: 'pending', reason: null },
          { channel: 'push', status: 'pending', reason: null },
        ],
      });

      const { body: filtered } = await asAdmin
        .get('/admin/users/u-why/deliveries')
        .query({ actionCode: 'BUS_ROUTE:DELAY' })
        .expect(200);
      expect((filtered as { items: LogEntry[] }).items.map((entry) => entry.id)).toEqual([
        disabled.id,
      ]);
    });

    it('should page a user log newest first by cursor', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        ids.push((await emit(aPush('u-pages', 'LIBRARY:OVERDUE')).expect(202)).body.id);
      }
      const newestFirst = [...ids].reverse();

      const first = (await asAdmin.get('/admin/users/u-pages/deliveries?limit=2').expect(200))
        .body as { items: LogEntry[]; nextCursor: string };
      const second = (
        await asAdmin
          .get('/admin/users/u-pages/deliveries')
          .query({ limit: 2, cursor: first.nextCursor })
          .expect(200)
      ).body as { items: LogEntry[]; nextCursor: string };
      const third = (
        await asAdmin
          .get('/admin/users/u-pages/deliveries')
          .query({ limit: 2, cursor: second.nextCursor })
          .expect(200)
      ).body as { items: LogEntry[]; nextCursor: string | null };

      expect([...first.items, ...second.items, ...third.items].map((entry) => entry.id)).toEqual(
        newestFirst,
      );
      expect(third.nextCursor).toBeNull();
    });

    it('should answer 404 for an unknown notification and 400 for bad queries', async () => {
      await asAdmin
        .get('/admin/notifications/00000000-0000-4000-8000-000000000000/deliveries')
        .expect(404);
      await asAdmin.get('/admin/notifications/nope/deliveries').expect(400);
      const { body } = await asAdmin
        .get('/admin/users/u-why/deliveries')
        .query({ limit: 0, cursor: 'x', actionCode: 'lower:case' })
        .expect(400);
      expect(body.message).toEqual(
        expect.arrayContaining([
          'limit must not be less than 1',
          'cursor must be the nextCursor of a previous page',
          expect.stringMatching(/^actionCode must be UPPER_SNAKE/),
        ]),
      );
    });
  });
});
