import { NotificationWebSocketTopics } from '@signal/core';
import type { TestSchema } from '@signal/persistence/testing/test-schema';
import request from 'supertest';
import { aNotificationFor, persistAndNotify } from '../support/activity-notifications';
import { createTestSchema, SignalTestApp, startSignalTestApp } from '../support/signal-test-app';
import { collect, connectSocket, settle, waitForCount } from '../support/socket-client';
import { userToken } from '../support/tokens';

const { NOTIFICATION_CREATED, REPLAY_TRUNCATED } = NotificationWebSocketTopics;

describe('missed notifications: replay at reconnect and REST catch-up (real PostgreSQL, Redis)', () => {
  let db: TestSchema;
  let signal: SignalTestApp;
  const claims = { sub: 'u-replay', organizerId: 'org-replay', merchantIds: ['m-replay'] };
  const token = userToken(claims);

  beforeAll(async () => {
    db = await createTestSchema('replay');
    signal = await startSignalTestApp(db, { SIGNAL_REPLAY_LIMIT: '5' });
  });

  afterAll(async () => {
    await signal.close();
    await db.drop();
  });

  it('should send a reconnecting client exactly what it missed, in order, once', async () => {
    const first = await connectSocket(signal.baseUrl, { token });
    const live = collect<{ id: string }>(first, NOTIFICATION_CREATED);
    const [seen] = await persistAndNotify(signal.app, [aNotificationFor('u-replay')]);
    await waitForCount(live, 1, 'the live notification');
    first.close();

    const missed = await persistAndNotify(signal.app, [
      aNotificationFor('u-replay', { content: 'missed 1' }),
      aNotificationFor('org-replay', { recipientScope: 'org', content: 'missed 2' }),
      aNotificationFor('someone-else', { content: 'not mine' }),
      aNotificationFor('m-replay', { recipientScope: 'merchant', content: 'missed 3' }),
    ]);

    let replayed: { id: string; content: string }[] = [];
    const second = await connectSocket(
      signal.baseUrl,
      { token, lastNotificationId: live[0].id },
      (socket) => {
        replayed = collect(socket, NOTIFICATION_CREATED);
      },
    );
    await waitForCount(replayed, 3, 'the replay');
    await settle(500);
    second.close();

    expect(live[0].id).toBe(seen.id);
    expect(replayed.map((payload) => payload.content)).toEqual([
      'missed 1',
      'missed 2',
      'missed 3',
    ]);
    expect(replayed.map((payload) => payload.id)).toEqual(
      [missed[0], missed[1], missed[3]].map((notification) => notification.id),
    );
  });

  it('should replay nothing when nothing was missed', async () => {
    const [last] = await persistAndNotify(signal.app, [aNotificationFor('u-replay')]);
    let replayed: unknown[] = [];
    const socket = await connectSocket(
      signal.baseUrl,
      { token, lastNotificationId: last.id },
      (s) => {
        replayed = collect(s, NOTIFICATION_CREATED);
      },
    );
    await settle(500);
    socket.close();
    expect(replayed).toEqual([]);
  });

  it('should stop at the replay limit, say where, and let REST catch-up give the rest in order', async () => {
    const [anchor] = await persistAndNotify(signal.app, [aNotificationFor('u-replay')]);
    const missed = await persistAndNotify(
      signal.app,
      Array.from({ length: 8 }, (_, index) =>
        aNotificationFor('u-replay', { content: `backlog ${index}` }),
      ),
    );

    let replayed: { id: string }[] = [];
    let truncated: { after: string }[] = [];
    const socket = await connectSocket(
      signal.baseUrl,
      { token, lastNotificationId: anchor.id },
      (s) => {
        replayed = collect(s, NOTIFICATION_CREATED);
        truncated = collect(s, REPLAY_TRUNCATED);
      },
    );
    await waitForCount(truncated, 1, 'the truncation notice');
    socket.close();

    expect(replayed.map((payload) => payload.id)).toEqual(missed.slice(0, 5).map((row) => row.id));
    expect(truncated).toEqual([{ after: missed[4].id }]);

    const rest = await request(signal.app.getHttpServer())
      .get('/notifications/catch-up')
      .query({ after: truncated[0].after })
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    const page = rest.body as { items: { id: string }[]; nextCursor: string | null };
    expect(page.items.map((item) => item.id)).toEqual(missed.slice(5).map((row) => row.id));
    expect(page.nextCursor).toBeNull();
  });

  it("should refuse a catch-up from an id that is not one of the user's notifications", async () => {
    const [foreign] = await persistAndNotify(signal.app, [aNotificationFor('someone-else')]);
    const response = await request(signal.app.getHttpServer())
      .get('/notifications/catch-up')
      .query({ after: foreign.id })
      .set('Authorization', `Bearer ${token}`);
    expect(response.status).toBe(404);
    expect(response.body.message).toContain('is not a notification of this user');
  });
});
