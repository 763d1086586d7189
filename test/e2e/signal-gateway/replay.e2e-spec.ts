import { NotificationWebSocketTopics, ReplayTruncatedPayload } from '@signal/core';
import type { TestSchema } from '@signal/persistence/testing/test-schema';
import request from 'supertest';
import { aNotificationFor, persistAndNotify } from '../../support/activity-notifications';
import { createTestSchema, SignalTestApp, startSignalTestApp } from '../../support/signal-test-app';
import {
  collect,
  connectSocket,
  refusedWith,
  settle,
  waitForCount,
} from '../../support/socket-client';
import { userToken } from '../../support/tokens';

const { NOTIFICATION_CREATED, REPLAY_TRUNCATED } = NotificationWebSocketTopics;

interface Page {
  items: { id: string; content: string }[];
  nextCursor: string | null;
}

describe('missed notifications: replay at reconnect and REST catch-up (real PostgreSQL, Redis)', () => {
  let db: TestSchema;
  let signal: SignalTestApp;

  beforeAll(async () => {
    db = await createTestSchema('replay');
    signal = await startSignalTestApp(db, { SIGNAL_REPLAY_LIMIT: '5' });
  });

  afterAll(async () => {
    await signal.close();
    await db.drop();
  });

  /** A user of their own per test: the replay overlaps what came shortly before the anchor. */
  const tokenOf = (name: string) =>
    userToken({ sub: `u-${name}`, organizerId: `org-${name}`, merchantIds: [`m-${name}`] });

  /** Reconnects with the last id seen; resolves with what the replay sent once it went quiet. */
  async function reconnect(token: string, lastNotificationId: string) {
    let replayed: { id: string; content: string }[] = [];
    let truncated: ReplayTruncatedPayload[] = [];
    const socket = await connectSocket(signal.baseUrl, { token, lastNotificationId }, (s) => {
      replayed = collect(s, NOTIFICATION_CREATED);
      truncated = collect(s, REPLAY_TRUNCATED);
    });
    await settle(500);
    socket.close();
    return { replayed, truncated };
  }

  const catchUp = async (token: string, query: Record<string, string | number>) =>
    (
      await request(signal.app.getHttpServer())
        .get('/notifications/catch-up')
        .query(query)
        .set('Authorization', `Bearer ${token}`)
        .expect(200)
    ).body as Page;

  it('should send a reconnecting client what it missed, in order, once', async () => {
    const token = tokenOf('missed');
    const first = await connectSocket(signal.baseUrl, { token });
    const live = collect<{ id: string }>(first, NOTIFICATION_CREATED);
    const [seen] = await persistAndNotify(signal.app, [aNotificationFor('u-missed')]);
    await waitForCount(live, 1, 'the live notification');
    first.close();

    const missed = await persistAndNotify(signal.app, [
      aNotificationFor('u-missed', { content: 'missed 1' }),
      aNotificationFor('org-missed', { recipientScope: 'org', content: 'missed 2' }),
      aNotificationFor('someone-else', { content: 'not mine' }),
      aNotificationFor('m-missed', { recipientScope: 'merchant', content: 'missed 3' }),
    ]);

    const { replayed, truncated } = await reconnect(token, live[0].id);
    expect(live[0].id).toBe(seen.id);
    expect(replayed.map((payload) => payload.content)).toEqual([
      'missed 1',
      'missed 2',
      'missed 3',
    ]);
    expect(replayed.map((payload) => payload.id)).toEqual(
      [missed[0], missed[1], missed[3]].map((notification) => notification.id),
    );
    expect(truncated).toEqual([]);
  });

  it('should replay nothing when nothing came before or after the last id seen', async () => {
    const [last] = await persistAndNotify(signal.app, [aNotificationFor('u-nothing')]);
    expect(await reconnect(tokenOf('nothing'), last.id)).toEqual({ replayed: [], truncated: [] });
  });

  it('should also replay what was created shortly before the last id seen (overlap; clients dedupe)', async () => {
    const [before, last] = await persistAndNotify(signal.app, [
      aNotificationFor('u-overlap', { content: 'before' }),
      aNotificationFor('org-overlap', { recipientScope: 'org', content: 'last seen' }),
    ]);
    const { replayed } = await reconnect(tokenOf('overlap'), last.id);
    expect(replayed.map((payload) => payload.id)).toEqual([before.id]);
  });

  it('should replay a row with a lower seq that committed after the one the client saw last', async () => {
    const token = tokenOf('interleaved');
    // One instance has taken a seq for its row and not committed it yet (into the user's
    // organizer stream: inserts into one stream wait for each other's commit on its head row)...
    const inFlight = db.dataSource.createQueryRunner();
    await inFlight.connect();
    await inFlight.startTransaction();
    let late: { id: string; seq: string };
    let seen: { id: string; seq: string };
    try {
      [late] = await inFlight.query(
        `INSERT INTO activity_notifications (dedup_key, recipient_id, type, recipient_scope, actor_id, actor, content, occurred_at)
         VALUES ('interleaved-late', 'org-interleaved', 'PAYMENT_SUCCESS', 'org', 'a', '{}', 'committed late', now())
         RETURNING id, seq`,
      );
      // ...while another commits a later seq and pushes it: the client sees that one live...
      const first = await connectSocket(signal.baseUrl, { token });
      const live = collect<{ id: string }>(first, NOTIFICATION_CREATED);
      [seen] = await persistAndNotify(signal.app, [aNotificationFor('u-interleaved')]);
      await waitForCount(live, 1, 'the live notification');
      first.close();
      // ...and goes away before the first one commits (and pushes to nobody).
      await inFlight.commitTransaction();
    } finally {
      await inFlight.release();
    }
    expect(BigInt(seen.seq)).toBeGreaterThan(BigInt(late.seq));

    const { replayed } = await reconnect(token, seen.id);
    expect(replayed.map((payload) => payload.id)).toEqual([late.id]);
    const rest = await catchUp(token, { after: seen.id });
    expect(rest.items.map((item) => item.id)).toEqual([late.id]);
  });

  it('should stop at the replay limit, say where, and let REST catch-up give the rest in order', async () => {
    const token = tokenOf('limit');
    const [anchor] = await persistAndNotify(signal.app, [aNotificationFor('u-limit')]);
    const missed = await persistAndNotify(
      signal.app,
      Array.from({ length: 8 }, (_, index) =>
        aNotificationFor('u-limit', { content: `backlog ${index}` }),
      ),
    );

    const { replayed, truncated } = await reconnect(token, anchor.id);
    expect(replayed.map((payload) => payload.id)).toEqual(missed.slice(0, 5).map((row) => row.id));
    expect(truncated).toEqual([{ after: anchor.id, cursor: missed[4].seq }]);

    const rest = await catchUp(token, { ...truncated[0] });
    expect(rest.items.map((item) => item.id)).toEqual(missed.slice(5).map((row) => row.id));
    expect(rest.nextCursor).toBeNull();
  });

  it('should page a catch-up through an overlap longer than a page, and end', async () => {
    const token = tokenOf('pages');
    const rows = await persistAndNotify(
      signal.app,
      Array.from({ length: 8 }, (_, index) =>
        aNotificationFor('u-pages', { content: `page row ${index}` }),
      ),
    );
    const anchor = rows[rows.length - 1];
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await catchUp(token, {
        after: anchor.id,
        limit: 3,
        ...(cursor === null ? {} : { cursor }),
      });
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
    } while (cursor !== null && seen.length < 20);
    expect(seen).toEqual(rows.slice(0, -1).map((row) => row.id));
  });

  it("should neither replay nor start from an organizer's row whose id equals the user's", async () => {
    const token = userToken({ sub: '700331' });
    const [own, organizers] = await persistAndNotify(signal.app, [
      aNotificationFor('700331'),
      aNotificationFor('700331', { recipientScope: 'org', dedupKey: 'org-700331' }),
    ]);
    const [later] = await persistAndNotify(signal.app, [aNotificationFor('700331')]);

    const { replayed } = await reconnect(token, own.id);
    expect(replayed.map((payload) => payload.id)).toEqual([later.id]);
    const refused = await refusedWith(signal.baseUrl, {
      token,
      lastNotificationId: organizers.id,
    });
    expect(refused.data).toEqual({ code: 'NOT_FOUND' });
  });

  it("should refuse a catch-up from an id that is not one of the user's notifications", async () => {
    const [foreign] = await persistAndNotify(signal.app, [aNotificationFor('someone-else')]);
    const response = await request(signal.app.getHttpServer())
      .get('/notifications/catch-up')
      .query({ after: foreign.id })
      .set('Authorization', `Bearer ${tokenOf('refused')}`);
    expect(response.status).toBe(404);
    expect(response.body.message).toContain('is not a notification of this user');
  });

  it.each([
    [{ cursor: '9223372036854775808' }, 'cursor must be the nextCursor of a previous page'],
    [{ cursor: 'x' }, 'cursor must be the nextCursor of a previous page'],
    [{ after: '99999999999999999999' }, 'after must be a notification id (UUID)'],
  ])('should refuse catch-up query %j saying %s', async (query, message) => {
    const response = await request(signal.app.getHttpServer())
      .get('/notifications/catch-up')
      .query({ after: '00000000-0000-4000-8000-000000000000', ...query })
      .set('Authorization', `Bearer ${tokenOf('bad-query')}`);
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body.message)).toContain(message);
  });
});
