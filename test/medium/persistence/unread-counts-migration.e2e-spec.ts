import { randomUUID } from 'node:crypto';
import {
  ActivityNotificationRepository,
  InboxOwner,
  NewActivityNotification,
  PhxNotificationRecordRepository,
  runMigrations,
} from '@signal/persistence';
import { signalMigrations } from '@signal/persistence/migrations';
import { createTestSchema, TestSchema } from '@signal/persistence/testing/test-schema';
import { activityUnreadByRows, centerUnreadByRows, streamRow } from './unread-by-rows';

const FIRST_COUNTS_MIGRATION = 'NotificationCenterReadIndex1770500000000';
const TABS = ['SYSTEM', 'TO_ME'];

const member = (userId: string): InboxOwner => ({
  userId,
  recipients: [
    { scope: 'users', id: userId },
    { scope: 'org', id: 'org-1' },
    { scope: 'merchant', id: 'm-1' },
  ],
});
const USERS = ['u-1', 'u-2', 'u-3'];

describe('migration to stream heads: existing read state and counts carried over (real PostgreSQL)', () => {
  let db: TestSchema;
  let activity: ActivityNotificationRepository;
  let center: PhxNotificationRecordRepository;
  const fromCounts = signalMigrations
    .slice(signalMigrations.findIndex((m) => m.name === FIRST_COUNTS_MIGRATION))
    .map((m) => m.name);

  beforeAll(async () => {
    db = await createTestSchema('unread-counts-migration');
    activity = new ActivityNotificationRepository(db.dataSource);
    center = new PhxNotificationRecordRepository(db.dataSource);
  });

  afterAll(async () => {
    await db.drop();
  });

  /** Each user's count, its unread list's length, and each unread item. */
  async function state() {
    const result: Record<string, unknown> = {};
    for (const userId of USERS) {
      const unread = await activity.listNewestFirst(member(userId), {
        limit: 1000,
        unreadOnly: true,
      });
      result[userId] = {
        count: await activity.countUnread(member(userId)),
        byRows: await activityUnreadByRows(db.dataSource, member(userId)),
        unread: unread.map((row) => row.content),
      };
    }
    result.center = {
      count: await center.countUnreadByType('nc-1', TABS),
      byRows: await centerUnreadByRows(db.dataSource, 'nc-1', TABS),
    };
    return result;
  }

  async function insertRecords(count: number, type: string) {
    const ids = Array.from({ length: count }, () => randomUUID());
    await db.dataSource.query(
      `INSERT INTO phx_push_requests (id, idempotency_key, user_id, type, action_code, hostname, payload, status)
       SELECT id, id::text, 'nc-1', $2, 'FEE:NOTICE', 'h', '{}', 'delivered' FROM unnest($1::uuid[]) AS id`,
      [ids, type],
    );
    const inserted = await center.insertMany(
      ids.map((requestId, n) => ({
        requestId,
        userId: 'nc-1',
        studentId: null,
        type,
        actionCode: 'FEE:NOTICE',
        moduleCode: null,
        title: 't',
        message: 'm',
        payload: null,
        hostname: 'h',
        channelStatus: {},
        inCenter: n % 4 !== 3,
      })),
    );
    return inserted.map(({ record }) => record);
  }

  it('should give every user the same counts and unread items after undoing and redoing the migration', async () => {
    const streams: [NewActivityNotification['recipientScope'], string][] = [
      ['org', 'org-1'],
      ['merchant', 'm-1'],
      ['users', 'u-1'],
      ['users', 'u-2'],
    ];
    const wave = (prefix: string, count: number) =>
      activity.insertIgnoringDuplicates(
        Array.from({ length: count }, (_, n) => {
          const [scope, id] = streams[n % streams.length];
          return streamRow(`${prefix}${n}`, scope, id);
        }),
      );
    await wave('a', 12);
    await activity.markAllRead(member('u-1'));
    const second = await wave('b', 10);
    await activity.markRead(member('u-1'), second[0].id);
    await activity.markRead(member('u-2'), second[1].id);
    await activity.markAllRead(member('u-3'));
    await wave('c', 5);

    const system = await insertRecords(8, 'SYSTEM');
    await center.markRead('nc-1', system[0].id);
    await center.markAllRead('nc-1', ['SYSTEM']);
    const later = await insertRecords(6, 'SYSTEM');
    await center.markRead('nc-1', later[1].id);
    await insertRecords(5, 'TO_ME');

    const before = await state();
    expect(before['u-1']).toMatchObject({ count: 11, byRows: 11 });
    expect(before.center).toEqual({
      count: { SYSTEM: 4, TO_ME: 4 },
      byRows: { SYSTEM: 4, TO_ME: 4 },
    });

    for (let n = 0; n < fromCounts.length; n += 1) await db.dataSource.undoLastMigration();
    const [{ heads }] = await db.dataSource.query(
      `SELECT to_regclass('activity_notification_stream_heads') AS heads`,
    );
    expect(heads).toBeNull();
    await expect(runMigrations(db.options)).resolves.toEqual(fromCounts);

    expect(await state()).toEqual(before);
    // And the heads go on from there.
    await wave('d', 4);
    expect(await activity.countUnread(member('u-3'))).toBe(
      await activityUnreadByRows(db.dataSource, member('u-3')),
    );
  });
});
