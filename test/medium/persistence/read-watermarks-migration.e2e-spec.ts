import {
  ActivityNotificationRepository,
  InboxOwner,
  PhxNotificationRecordRepository,
  runMigrations,
} from '@signal/persistence';
import { signalMigrations } from '@signal/persistence/migrations';
import { createTestSchema, TestSchema } from '@signal/persistence/testing/test-schema';

const FIRST_WATERMARK_MIGRATION = 'InboxStreamIndexes1770100000000';
const TABS = ['SYSTEM', 'TO_ME'];

/** Read state as the tables held it before watermarks: one row (or read_at) per item read. */
const READ_BEFORE = {
  activity: [
    // u-m read its organizer's stream from the start up to a3, then a5; one row of its own; both
    // of its merchant's (the whole stream).
    ['u-m', 'a1'],
    ['u-m', 'a2'],
    ['u-m', 'a3'],
    ['u-m', 'a5'],
    ['u-m', 'u2'],
    ['u-m', 'm1'],
    ['u-m', 'm2'],
    // Another member of the same organizer read only its first row.
    ['u-n', 'a1'],
  ],
  center: ['s1', 's2', 's4', 't1'],
};

describe('migration to read watermarks: existing read state carried over, and back (real PostgreSQL)', () => {
  let db: TestSchema;
  // The watermark migrations and whatever came after them: undone first, so the rows below are
  // written in the old shape, then applied again.
  const fromWatermarks = signalMigrations
    .slice(signalMigrations.findIndex((m) => m.name === FIRST_WATERMARK_MIGRATION))
    .map((m) => m.name);
  const undoFromWatermarks = async () => {
    for (let n = 0; n < fromWatermarks.length; n += 1) await db.dataSource.undoLastMigration();
  };

  beforeAll(async () => {
    db = await createTestSchema('read-watermarks');
    await undoFromWatermarks();
  });

  afterAll(async () => {
    await db.drop();
  });

  const owner = (userId: string): InboxOwner => ({
    userId,
    recipients: [
      { scope: 'users', id: userId },
      { scope: 'org', id: 'org-m' },
      { scope: 'merchant', id: 'm-m' },
    ],
  });

  /** Every notification's content with the user's read state, and the unread count. */
  async function activityState(userId: string) {
    const repository = new ActivityNotificationRepository(db.dataSource);
    const rows = await repository.listNewestFirst(owner(userId), {
      limit: 100,
      unreadOnly: false,
    });
    return {
      read: rows
        .filter((row) => row.isRead)
        .map((row) => row.content)
        .sort(),
      unread: await repository.countUnread(owner(userId)),
    };
  }

  async function centerState() {
    const repository = new PhxNotificationRecordRepository(db.dataSource);
    const records = await repository.listNewestFirst('nc-reader', {
      tabs: TABS,
      limit: 100,
      unreadOnly: false,
    });
    return {
      read: records
        .filter((record) => record.isRead)
        .map((record) => record.title)
        .sort(),
      unread: await repository.countUnreadByType('nc-reader', TABS),
    };
  }

  it('should keep every read mark through up, fold read prefixes into watermarks, and restore them all through down', async () => {
    await db.dataSource.query(`
      INSERT INTO activity_notifications (dedup_key, recipient_id, type, recipient_scope, actor_id, actor, content, occurred_at)
      SELECT c, r, 'PAYMENT_SUCCESS', s, 'a', '{}', c, now()
        FROM (VALUES ('a1', 'org-m', 'org'), ('u1', 'u-m', 'users'), ('a2', 'org-m', 'org'),
                     ('m1', 'm-m', 'merchant'), ('a3', 'org-m', 'org'), ('u2', 'u-m', 'users'),
                     ('a4', 'org-m', 'org'), ('m2', 'm-m', 'merchant'), ('a5', 'org-m', 'org'),
                     ('u3', 'u-m', 'users'), ('x1', 'u-m', 'org')) AS v(c, r, s)`);
    await db.dataSource.query(
      `INSERT INTO activity_notification_reads (user_id, notification_id)
       SELECT v.u, n.id FROM unnest($1::text[], $2::text[]) AS v(u, c)
         JOIN activity_notifications n ON n.content = v.c`,
      [READ_BEFORE.activity.map(([user]) => user), READ_BEFORE.activity.map(([, item]) => item)],
    );
    await db.dataSource.query(`
      INSERT INTO phx_push_requests (id, idempotency_key, user_id, type, action_code, hostname, payload, status)
      SELECT md5(t)::uuid, t, 'nc-reader', k, 'FEE:NOTICE', 'h', '{}', 'delivered'
        FROM (VALUES ('s1', 'SYSTEM'), ('t1', 'TO_ME'), ('s2', 'SYSTEM'), ('s3', 'SYSTEM'),
                     ('t2', 'TO_ME'), ('s4', 'SYSTEM')) AS v(t, k)`);
    await db.dataSource.query(
      `INSERT INTO phx_notification_records (request_id, user_id, type, action_code, title, message, hostname, in_center, read_at)
       SELECT id, user_id, type, action_code, idempotency_key, 'm', hostname, true,
              CASE WHEN idempotency_key = ANY($1) THEN now() END
         FROM phx_push_requests ORDER BY idempotency_key`,
      [READ_BEFORE.center],
    );

    await expect(runMigrations(db.options)).resolves.toEqual(fromWatermarks);
    expect(fromWatermarks.slice(0, 2)).toEqual([
      FIRST_WATERMARK_MIGRATION,
      'ReadWatermarks1770200000000',
    ]);

    // The same read state as before, item by item and counted...
    expect(await activityState('u-m')).toEqual({
      read: ['a1', 'a2', 'a3', 'a5', 'm1', 'm2', 'u2'],
      unread: 3,
    });
    expect(await activityState('u-n')).toEqual({ read: ['a1'], unread: 6 });
    expect(await centerState()).toEqual({
      read: ['s1', 's2', 's4', 't1'],
      unread: { SYSTEM: 1, TO_ME: 1 },
    });
    // ...an organizer's row (org, u-m) is not u-m's own though their ids are equal...
    expect((await activityState('u-m')).read).not.toContain('x1');
    // ...with each read prefix folded into a watermark and only the marks above it kept.
    const watermarks: { user_id: string; recipient_scope: string; through: string }[] =
      await db.dataSource.query(
        `SELECT w.user_id, w.recipient_scope, n.content AS through
           FROM activity_notification_read_watermarks w
           JOIN activity_notifications n ON n.seq = w.read_through_seq
          ORDER BY 1, 2`,
      );
    expect(watermarks).toEqual([
      { user_id: 'u-m', recipient_scope: 'merchant', through: 'm2' },
      { user_id: 'u-m', recipient_scope: 'org', through: 'a3' },
      { user_id: 'u-n', recipient_scope: 'org', through: 'a1' },
    ]);
    const marks: { user_id: string; content: string }[] = await db.dataSource.query(
      `SELECT r.user_id, n.content FROM activity_notification_reads r
         JOIN activity_notifications n ON n.id = r.notification_id AND n.seq = r.seq
          AND n.recipient_scope = r.recipient_scope AND n.recipient_id = r.recipient_id
        ORDER BY 1, 2`,
    );
    expect(marks).toEqual([
      { user_id: 'u-m', content: 'a5' },
      { user_id: 'u-m', content: 'u2' },
    ]);
    const centerWatermarks: { type: string; through: string }[] = await db.dataSource.query(
      `SELECT w.type, r.title AS through FROM phx_notification_center_read_watermarks w
         JOIN phx_notification_records r ON r.seq = w.read_through_seq ORDER BY 1`,
    );
    expect(centerWatermarks).toEqual([
      { type: 'SYSTEM', through: 's2' },
      { type: 'TO_ME', through: 't1' },
    ]);

    // Read all once more after the migration, then revert: per-item read state for everything.
    await new ActivityNotificationRepository(db.dataSource).markAllRead(owner('u-n'));
    await new PhxNotificationRecordRepository(db.dataSource).markAllRead('nc-reader', ['TO_ME']);
    await undoFromWatermarks();

    const readAfterDown: { user_id: string; content: string }[] = await db.dataSource.query(
      `SELECT r.user_id, n.content FROM activity_notification_reads r
         JOIN activity_notifications n ON n.id = r.notification_id ORDER BY 1, 2`,
    );
    expect(readAfterDown).toEqual([
      ...['a1', 'a2', 'a3', 'a5', 'm1', 'm2', 'u2'].map((content) => ({ user_id: 'u-m', content })),
      ...['a1', 'a2', 'a3', 'a4', 'a5', 'm1', 'm2'].map((content) => ({ user_id: 'u-n', content })),
    ]);
    const centerAfterDown: { title: string }[] = await db.dataSource.query(
      `SELECT title FROM phx_notification_records WHERE read_at IS NOT NULL ORDER BY 1`,
    );
    expect(centerAfterDown.map((record) => record.title)).toEqual(['s1', 's2', 's4', 't1', 't2']);
  });
});
