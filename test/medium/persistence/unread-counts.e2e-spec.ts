import { randomUUID } from 'node:crypto';
import {
  ActivityNotificationRepository,
  InboxOwner,
  NewActivityNotification,
  NewPhxNotificationRecord,
  PhxNotificationRecordRepository,
} from '@signal/persistence';
import { createTestSchema, TestSchema } from '@signal/persistence/testing/test-schema';
import { activityUnreadByRows, centerUnreadByRows, streamRow } from './unread-by-rows';

const TABS = ['SYSTEM', 'TO_ME'];

/** A member of organizer `org-1` and merchants `m-1`, `m-2`. */
const member = (userId: string): InboxOwner => ({
  userId,
  recipients: [
    { scope: 'users', id: userId },
    { scope: 'org', id: 'org-1' },
    { scope: 'merchant', id: 'm-1' },
    { scope: 'merchant', id: 'm-2' },
  ],
});

describe('unread counts from stream heads: exact, whatever the history (real PostgreSQL)', () => {
  let db: TestSchema;
  let activity: ActivityNotificationRepository;
  let center: PhxNotificationRecordRepository;

  beforeAll(async () => {
    db = await createTestSchema('unread-counts');
    activity = new ActivityNotificationRepository(db.dataSource);
    center = new PhxNotificationRecordRepository(db.dataSource);
  });

  afterAll(async () => {
    await db.drop();
  });

  /** Counted from the heads, listed unread, and counted row by row: all three agree. */
  async function activityUnread(owner: InboxOwner): Promise<number> {
    const counted = await activity.countUnread(owner);
    const listed = await activity.listNewestFirst(owner, { limit: 10_000, unreadOnly: true });
    expect(listed).toHaveLength(counted);
    expect(await activityUnreadByRows(db.dataSource, owner)).toBe(counted);
    return counted;
  }

  async function centerUnread(userId: string): Promise<Record<string, number>> {
    const counted = await center.countUnreadByType(userId, TABS);
    const listed = await center.listNewestFirst(userId, {
      tabs: TABS,
      limit: 10_000,
      unreadOnly: true,
    });
    for (const tab of TABS) {
      expect(listed.filter((record) => record.type === tab)).toHaveLength(counted[tab]);
    }
    expect(await centerUnreadByRows(db.dataSource, userId, TABS)).toEqual(counted);
    return counted;
  }

  async function sequenceOf(table: string): Promise<string> {
    const [row]: { name: string }[] = await db.dataSource.query(
      `SELECT pg_get_serial_sequence($1, 'seq') AS name`,
      [table],
    );
    return row.name;
  }

  async function insertRecords(
    records: { userId: string; type: string; inCenter: boolean; requestId?: string }[],
  ) {
    const full: NewPhxNotificationRecord[] = records.map((record) => ({
      requestId: record.requestId ?? randomUUID(),
      userId: record.userId,
      studentId: null,
      type: record.type,
      actionCode: 'FEE:NOTICE',
      moduleCode: null,
      title: 't',
      message: 'm',
      payload: null,
      hostname: 'h',
      channelStatus: {},
      inCenter: record.inCenter,
    }));
    await db.dataSource.query(
      `INSERT INTO phx_push_requests (id, idempotency_key, user_id, type, action_code, hostname, payload, status)
       SELECT id, id::text, u, t, 'FEE:NOTICE', 'h', '{}', 'delivered'
         FROM unnest($1::uuid[], $2::varchar[], $3::varchar[]) AS v(id, u, t)
       ON CONFLICT DO NOTHING`,
      [full.map((r) => r.requestId), full.map((r) => r.userId), full.map((r) => r.type)],
    );
    return center.insertMany(full);
  }

  it('should count an org + merchants member’s activity through inserts, duplicates, marks and read-all', async () => {
    const ann = member('ann');
    const bob = member('bob');
    const batch = [
      streamRow('a1', 'org', 'org-1'),
      streamRow('a2', 'users', 'ann'),
      streamRow('a3', 'merchant', 'm-1'),
      streamRow('a4', 'merchant', 'm-2'),
      streamRow('a5', 'org', 'org-1'),
      streamRow('a6', 'merchant', 'm-3'),
    ];
    expect(await activity.insertIgnoringDuplicates(batch)).toHaveLength(6);
    // Duplicates, alone and beside a new row, are not counted again.
    expect(await activity.insertIgnoringDuplicates(batch)).toHaveLength(0);
    expect(
      await activity.insertIgnoringDuplicates([batch[0], streamRow('a7', 'org', 'org-1')]),
    ).toHaveLength(1);
    expect(await activityUnread(ann)).toBe(6);
    expect(await activityUnread(bob)).toBe(5);

    const [newest] = await activity.listNewestFirst(ann, { limit: 1, unreadOnly: false });
    expect(await activity.markRead(ann, newest.id)).toBe(true);
    expect(await activity.markRead(ann, newest.id)).toBe(true);
    expect(await activityUnread(ann)).toBe(5);
    expect(await activityUnread(bob)).toBe(5);

    expect(await activity.markAllRead(ann)).toBe(5);
    expect(await activityUnread(ann)).toBe(0);
    expect(await activity.markAllRead(ann)).toBe(0);

    // Above the watermark: new rows, one marked; below it: a mark changes nothing.
    await activity.insertIgnoringDuplicates([
      streamRow('b1', 'merchant', 'm-2'),
      streamRow('b2', 'org', 'org-1'),
      streamRow('b3', 'users', 'ann'),
    ]);
    expect(await activityUnread(ann)).toBe(3);
    const [b3] = await activity.listNewestFirst(ann, { limit: 1, unreadOnly: true });
    await activity.markRead(ann, b3.id);
    await activity.markRead(ann, newest.id);
    expect(await activityUnread(ann)).toBe(2);
    expect(await activity.markAllRead(ann)).toBe(2);
    expect(await activityUnread(ann)).toBe(0);
    expect(await activityUnread(bob)).toBe(7);
  });

  it('should count Notification Center tabs through inserts, duplicates, marks and read-all', async () => {
    const first = await insertRecords([
      { userId: 'nc-1', type: 'SYSTEM', inCenter: true },
      { userId: 'nc-1', type: 'SYSTEM', inCenter: true },
      { userId: 'nc-1', type: 'TO_ME', inCenter: true },
      { userId: 'nc-1', type: 'SYSTEM', inCenter: false },
      { userId: 'nc-2', type: 'SYSTEM', inCenter: true },
    ]);
    // A redelivered request is found, not counted again.
    await insertRecords([
      { userId: 'nc-1', type: 'SYSTEM', inCenter: true, requestId: first[0].record.requestId },
    ]);
    expect(await centerUnread('nc-1')).toEqual({ SYSTEM: 2, TO_ME: 1 });
    expect(await centerUnread('nc-2')).toEqual({ SYSTEM: 1, TO_ME: 0 });

    await center.markRead('nc-1', first[1].record.id);
    await center.markRead('nc-1', first[1].record.id);
    // Not in the center: not a record the user can mark.
    expect(await center.markRead('nc-1', first[3].record.id)).toBe(false);
    expect(await centerUnread('nc-1')).toEqual({ SYSTEM: 1, TO_ME: 1 });

    expect(await center.markAllRead('nc-1', ['SYSTEM'])).toBe(1);
    expect(await centerUnread('nc-1')).toEqual({ SYSTEM: 0, TO_ME: 1 });

    const later = await insertRecords([
      { userId: 'nc-1', type: 'SYSTEM', inCenter: true },
      { userId: 'nc-1', type: 'SYSTEM', inCenter: true },
    ]);
    await center.markRead('nc-1', later[0].record.id);
    // Below the watermark: already read, the count stays.
    await center.markRead('nc-1', first[0].record.id);
    expect(await centerUnread('nc-1')).toEqual({ SYSTEM: 1, TO_ME: 1 });
    expect(await center.markAllRead('nc-1', TABS)).toBe(2);
    expect(await centerUnread('nc-1')).toEqual({ SYSTEM: 0, TO_ME: 0 });
    expect(await centerUnread('nc-2')).toEqual({ SYSTEM: 1, TO_ME: 0 });
  });

  it('should take a new row’s seq only once its stream’s head is locked, so rows commit in seq order', async () => {
    await activity.insertIgnoringDuplicates([streamRow('h1', 'merchant', 'm-9')]);
    const lastSeq = async () => {
      const [row]: { last_value: string }[] = await db.dataSource.query(
        `SELECT last_value FROM ${await sequenceOf('activity_notifications')}`,
      );
      return row.last_value;
    };
    const holder = db.dataSource.createQueryRunner();
    await holder.startTransaction();
    try {
      // Another insert into the stream, in flight: it holds the head until it commits.
      await holder.query(
        `SELECT 1 FROM activity_notification_stream_heads
          WHERE recipient_scope = 'merchant' AND recipient_id = 'm-9' FOR UPDATE`,
      );
      const before = await lastSeq();
      const waiting = activity.insertIgnoringDuplicates([streamRow('h2', 'merchant', 'm-9')]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await lastSeq()).toBe(before);
      await holder.commitTransaction();
      const [inserted] = await waiting;
      expect(BigInt(inserted.seq)).toBeGreaterThan(BigInt(before));
    } finally {
      if (holder.isTransactionActive) await holder.rollbackTransaction();
      await holder.release();
    }
  });

  it('should keep counts and unread lists in agreement under concurrent inserts and read-all', async () => {
    const carol = member('carol');
    const streams: [NewActivityNotification['recipientScope'], string][] = [
      ['org', 'org-1'],
      ['merchant', 'm-1'],
      ['merchant', 'm-2'],
      ['users', 'carol'],
    ];
    let inserting = true;
    // Batches over several streams in different orders, from several connections at once.
    const inserters = [0, 1, 2].map(async (worker) => {
      for (let n = 0; n < 25; n += 1) {
        const rows = [0, 1, 2, 3].map((k) => {
          const [scope, id] = streams[(k + worker + n) % streams.length];
          return streamRow(`c-${worker}-${n}-${k}`, scope, id);
        });
        await activity.insertIgnoringDuplicates(worker === 0 ? rows.reverse() : rows);
        await insertRecords([
          { userId: 'nc-c', type: TABS[n % 2], inCenter: true },
          { userId: 'nc-c', type: TABS[(n + worker) % 2], inCenter: true },
        ]);
      }
    });
    const reader = (async () => {
      while (inserting) {
        await activity.markAllRead(carol);
        await center.markAllRead('nc-c', TABS);
      }
    })();
    await Promise.all(inserters);
    inserting = false;
    await reader;

    // Whatever interleaving happened, the heads' arithmetic matches the rows.
    expect(await activityUnread(carol)).toBe(await activityUnreadByRows(db.dataSource, carol));
    await centerUnread('nc-c');
    const unread = await activityUnread(carol);
    expect(await activity.markAllRead(carol)).toBe(unread);
    expect(await activityUnread(carol)).toBe(0);
  });
  it('should keep counts exact when marks of single items race read-all and new rows', async () => {
    const dave = member('dave');
    const stream = (n: number): [NewActivityNotification['recipientScope'], string] =>
      n % 3 === 0 ? ['users', 'dave'] : n % 3 === 1 ? ['org', 'org-1'] : ['merchant', 'm-2'];
    const rows = await activity.insertIgnoringDuplicates(
      Array.from({ length: 60 }, (_, n) => streamRow(`d-${n}`, ...stream(n))),
    );
    const records = await insertRecords(
      Array.from({ length: 40 }, (_, n) => ({ userId: 'nc-d', type: TABS[n % 2], inCenter: true })),
    );
    let racing = true;
    // Two markers over the same items (each marked twice, concurrently), newest first and oldest
    // first, while rows keep arriving and read-all keeps moving the watermarks.
    const markers = [rows, [...rows].reverse()].map(async (order, k) => {
      for (const [n, row] of order.entries()) {
        await activity.markRead(dave, row.id);
        const record = records[(n + k) % records.length];
        await center.markRead('nc-d', record.record.id);
      }
    });
    const arrivals = (async () => {
      for (let n = 0; n < 20; n += 1) {
        await activity.insertIgnoringDuplicates([streamRow(`d-late-${n}`, ...stream(n))]);
        await insertRecords([{ userId: 'nc-d', type: TABS[n % 2], inCenter: true }]);
      }
    })();
    const reader = (async () => {
      while (racing) {
        await activity.markAllRead(dave);
        await center.markAllRead('nc-d', TABS);
      }
    })();
    await Promise.all([...markers, arrivals]);
    racing = false;
    await reader;

    await activityUnread(dave);
    await centerUnread('nc-d');
    // And from a known state: every one of the newest rows marked, then counted.
    await activity.markAllRead(dave);
    const fresh = await activity.insertIgnoringDuplicates(
      Array.from({ length: 6 }, (_, n) => streamRow(`d-fresh-${n}`, ...stream(n))),
    );
    await Promise.all(fresh.slice(0, 4).map((row) => activity.markRead(dave, row.id)));
    expect(await activityUnread(dave)).toBe(2);
  });
});
