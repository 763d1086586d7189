import type { TestSchema } from '@signal/persistence/testing/test-schema';
import request from 'supertest';
import { aNotificationFor, persistAndNotify } from '../../support/activity-notifications';
import { createTestSchema, SignalTestApp, startSignalTestApp } from '../../support/signal-test-app';
import { userToken } from '../../support/tokens';

interface Page {
  items: { id: string; content: string; isRead: boolean }[];
  nextCursor: string | null;
}

describe('activity inbox REST (real PostgreSQL)', () => {
  let db: TestSchema;
  let signal: SignalTestApp;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    db = await createTestSchema('inbox');
    signal = await startSignalTestApp(db);
    http = request(signal.app.getHttpServer());
  });

  afterAll(async () => {
    await signal.close();
    await db.drop();
  });

  const as = (sub: string, organizerId?: string) => {
    const auth = `Bearer ${userToken({ sub, ...(organizerId ? { organizerId } : {}) })}`;
    return {
      list: async (query: Record<string, string | number | boolean> = {}) =>
        (await http.get('/notifications').query(query).set('Authorization', auth).expect(200))
          .body as Page,
      count: async () =>
        (
          (await http.get('/notifications/unread-count').set('Authorization', auth).expect(200))
            .body as {
            count: number;
          }
        ).count,
      markRead: (id: string) => http.patch(`/notifications/${id}/read`).set('Authorization', auth),
      markAll: () => http.post('/notifications/read-all').set('Authorization', auth),
    };
  };

  it('should page newest first and stay stable while new rows arrive', async () => {
    const user = as('u-pages');
    const original = await persistAndNotify(
      signal.app,
      Array.from({ length: 25 }, (_, index) =>
        aNotificationFor('u-pages', { content: `n${index}` }),
      ),
    );

    const first = await user.list({ limit: 10 });
    await persistAndNotify(
      signal.app,
      Array.from({ length: 5 }, (_, index) =>
        aNotificationFor('u-pages', { content: `late${index}` }),
      ),
    );
    const second = await user.list({ limit: 10, cursor: first.nextCursor! });
    const third = await user.list({ limit: 10, cursor: second.nextCursor! });

    const newestFirst = original.map((row) => row.id).reverse();
    expect(first.items.map((item) => item.id)).toEqual(newestFirst.slice(0, 10));
    expect(second.items.map((item) => item.id)).toEqual(newestFirst.slice(10, 20));
    expect(third.items.map((item) => item.id)).toEqual(newestFirst.slice(20));
    expect(third.nextCursor).toBeNull();

    const fresh = await user.list({ limit: 5 });
    expect(fresh.items.map((item) => item.content)).toEqual([
      'late4',
      'late3',
      'late2',
      'late1',
      'late0',
    ]);
  });

  it('should keep read state per user on an organizer-wide notification, with exact counts', async () => {
    const alice = as('alice', 'org-read');
    const bob = as('bob', 'org-read');
    const [orgWide] = await persistAndNotify(signal.app, [
      aNotificationFor('org-read', { recipientScope: 'org' }),
    ]);
    await persistAndNotify(signal.app, [aNotificationFor('alice'), aNotificationFor('bob')]);
    expect([await alice.count(), await bob.count()]).toEqual([2, 2]);

    const marked = await alice.markRead(orgWide.id);
    expect(marked.status).toBe(200);
    expect(marked.body).toEqual({ id: orgWide.id, isRead: true });
    expect((await alice.markRead(orgWide.id)).status).toBe(200);

    expect([await alice.count(), await bob.count()]).toEqual([1, 2]);
    const aliceView = (await alice.list()).items.find((item) => item.id === orgWide.id);
    const bobView = (await bob.list()).items.find((item) => item.id === orgWide.id);
    expect([aliceView?.isRead, bobView?.isRead]).toEqual([true, false]);

    const unreadOfAlice = await alice.list({ unread: true });
    expect(unreadOfAlice.items.map((item) => item.isRead)).toEqual([false]);
    expect(unreadOfAlice.items.some((item) => item.id === orgWide.id)).toBe(false);
  });

  it('should mark all read, only for the caller, and count new arrivals again', async () => {
    const carol = as('carol', 'org-all');
    const dave = as('dave', 'org-all');
    await persistAndNotify(signal.app, [
      aNotificationFor('carol'),
      aNotificationFor('carol'),
      aNotificationFor('org-all', { recipientScope: 'org' }),
    ]);

    const response = await carol.markAll();
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ marked: 3 });
    expect(await carol.count()).toBe(0);
    expect(await dave.count()).toBe(1);
    expect((await carol.markAll()).body).toEqual({ marked: 0 });

    await persistAndNotify(signal.app, [aNotificationFor('org-all', { recipientScope: 'org' })]);
    expect(await carol.count()).toBe(1);
  });

  it('should mark all read with one write per recipient, however long the history', async () => {
    const grace = as('grace', 'org-history');
    await persistAndNotify(signal.app, [
      ...Array.from({ length: 300 }, () =>
        aNotificationFor('org-history', { recipientScope: 'org' }),
      ),
      ...Array.from({ length: 5 }, () => aNotificationFor('grace')),
    ]);
    const [picked] = (await grace.list({ limit: 1 })).items;
    await grace.markRead(picked.id);
    const readState = async () => {
      const [row]: { marks: string; watermarks: string }[] = await db.dataSource.query(
        `SELECT (SELECT count(*) FROM activity_notification_reads WHERE user_id = 'grace') AS marks,
                (SELECT count(*) FROM activity_notification_read_watermarks WHERE user_id = 'grace') AS watermarks`,
      );
      return { marks: Number(row.marks), watermarks: Number(row.watermarks) };
    };
    // The mark, and its stream's watermark (still at 0) counting it as marked above.
    expect(await readState()).toEqual({ marks: 1, watermarks: 1 });

    expect((await grace.markAll()).body).toEqual({ marked: 304 });
    expect(await grace.count()).toBe(0);
    expect((await grace.list({ unread: true })).items).toEqual([]);
    expect((await grace.list({ limit: 100 })).items.every((item) => item.isRead)).toBe(true);
    // One watermark per stream (the user's own, the organizer's); no row per notification.
    expect(await readState()).toEqual({ marks: 1, watermarks: 2 });
  });

  it('should not mark read a notification that commits while mark-all-read runs', async () => {
    const erin = as('erin');
    await persistAndNotify(signal.app, [aNotificationFor('erin')]);
    const runner = db.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      // Inserted in an open transaction: invisible to the request's snapshot until it commits.
      const inFlight: { id: string }[] = await runner.query(
        `INSERT INTO activity_notifications (dedup_key, recipient_id, type, recipient_scope, actor_id, actor, content, occurred_at)
         VALUES ('in-flight', 'erin', 'PAYMENT_SUCCESS', 'users', 'a', '{}', 'arrived during the request', now())
         RETURNING id`,
      );
      expect((await erin.markAll()).body).toEqual({ marked: 1 });
      await runner.commitTransaction();

      expect(await erin.count()).toBe(1);
      const page = await erin.list({ unread: true });
      expect(page.items.map((item) => item.id)).toEqual([inFlight[0].id]);
    } finally {
      await runner.release();
    }
  });

  it("should never show a user an organizer's or merchant's rows because the ids are equal", async () => {
    // User, organizer and merchant ids share one namespace: 700330 is a user and an organizer.
    const user = as('700330', 'org-of-700330');
    const [own] = await persistAndNotify(signal.app, [aNotificationFor('700330')]);
    const [organizers, merchants] = await persistAndNotify(signal.app, [
      aNotificationFor('700330', { recipientScope: 'org', dedupKey: 'org-700330' }),
      aNotificationFor('700330', { recipientScope: 'merchant', dedupKey: 'merchant-700330' }),
    ]);

    expect((await user.list()).items.map((item) => item.id)).toEqual([own.id]);
    expect((await user.list({ unread: true })).items.map((item) => item.id)).toEqual([own.id]);
    expect(await user.count()).toBe(1);
    for (const foreign of [organizers, merchants]) {
      expect((await user.markRead(foreign.id)).status).toBe(404);
      const catchUp = await http
        .get('/notifications/catch-up')
        .query({ after: foreign.id })
        .set('Authorization', `Bearer ${userToken({ sub: '700330' })}`);
      expect(catchUp.status).toBe(404);
    }
    expect((await user.markAll()).body).toEqual({ marked: 1 });

    // The organizer's members still see (and read) it as theirs.
    const member = as('member-of-700330', '700330');
    expect((await member.list()).items.map((item) => [item.id, item.isRead])).toEqual([
      [organizers.id, false],
    ]);
    expect(await member.count()).toBe(1);
  });

  it("should answer 404 for another user's notification and 400 for a malformed id", async () => {
    const [foreign] = await persistAndNotify(signal.app, [aNotificationFor('someone-else')]);
    const frank = as('frank');

    const notYours = await frank.markRead(foreign.id);
    expect(notYours.status).toBe(404);
    expect(notYours.body.message).toBe(`notification ${foreign.id} not found`);
    expect((await frank.markRead('not-a-uuid')).status).toBe(400);
    expect((await frank.list()).items).toEqual([]);
  });

  it.each([
    [{ limit: 0 }, 'limit must not be less than 1'],
    [{ limit: 101 }, 'limit must not be greater than 100'],
    [{ cursor: 'abc' }, 'cursor must be the nextCursor of a previous page'],
    // Above PostgreSQL's bigint (2^63 - 1): once a 500 "out of range for type bigint".
    [{ cursor: '9223372036854775808' }, 'cursor must be the nextCursor of a previous page'],
    [{ cursor: '-1' }, 'cursor must be the nextCursor of a previous page'],
    [{ unread: 'yes' }, 'unread must be true or false'],
  ])('should refuse query %j saying %s', async (query, message) => {
    const response = await http
      .get('/notifications')
      .query(query)
      .set('Authorization', `Bearer ${userToken({ sub: 'u-q' })}`);
    expect(response.status).toBe(400);
    expect(response.body.message).toContain(message);
  });

  it.each([
    ['no token', undefined, 'token missing'],
    ['an expired token', `Bearer ${userToken({ sub: 'u' }, { expiresIn: -1 })}`, 'token expired'],
    ['a non-bearer scheme', 'Basic dXNlcjpwYXNz', 'token missing'],
  ])('should answer 401 for %s', async (_, header, message) => {
    const call = http.get('/notifications/unread-count');
    const response = await (header ? call.set('Authorization', header) : call);
    expect(response.status).toBe(401);
    expect(response.body.message).toContain(message);
  });
});
