import { DataSource } from 'typeorm';
import { inboxOwnerOf, UserPrincipal } from '../../apps/signal/src/auth/user-principal';
import { ACTIVITY_READ_THROUGH_COUNTS } from '../../libs/persistence/src/migrations/1770600000000-UnreadCounts';
import {
  ACTIVITY_MARKED_ABOVE,
  CENTER_MARKED_ABOVE,
} from '../../libs/persistence/src/migrations/1770800000000-ReadMarkCounts';
import { loadWithoutIndexes } from '../support/bulk-load';

/** The member whose inbox is measured: one organizer, two of the five merchants. */
export const MEMBER: UserPrincipal = {
  userId: 'bench-member',
  organizerId: 'bench-org',
  merchantIds: ['bench-merchant-0', 'bench-merchant-1'],
};
/** The small reference: `SMALL_ROWS` rows of their own, records too, and nothing else. */
export const SMALL: UserPrincipal = { userId: 'bench-small', organizerId: null, merchantIds: [] };
export const SMALL_ROWS = 20;
/** Other members of the organizer with read state of their own on its stream. */
const ORG_READERS = 1000;

export const LAYOUT =
  'activity, by i % 100 of N rows: 0–49 the organizer (org-wide), 50–59 five merchants (the member in two), 60 the member’s own, 61–99 N/100 other users; ' +
  'member read state: watermarks at 10 % of the organizer’s and merchant 0’s history and 50 % of its own, none on merchant 1, per-item marks on 1 % above them; ' +
  `${ORG_READERS} other members with a watermark and marks on the organizer’s stream. ` +
  'Notification Center, of M records (each with its phx_push_requests row): half the member’s (70 % SYSTEM, 30 % TO_ME, 2.5 % not in the center), half N/100 other users’; ' +
  'member read state: SYSTEM watermark at 10 %, read_at on 1 % of its records; other users read a third. ' +
  `A small user with ${SMALL_ROWS} rows and ${SMALL_ROWS} records.`;

/** The member's recipient streams as (scopes, ids), the way the app reads them. */
function streamsOf(principal: UserPrincipal): [string[], string[]] {
  const { recipients } = inboxOwnerOf(principal);
  return [recipients.map((r) => r.scope), recipients.map((r) => r.id)];
}

/** The big ones, loaded without their indexes. */
const BULK_TABLES = ['activity_notifications', 'phx_push_requests', 'phx_notification_records'];
const TABLES = [
  'activity_notifications',
  'activity_notification_reads',
  'activity_notification_read_watermarks',
  'activity_notification_stream_heads',
  'phx_push_requests',
  'phx_deliveries',
  'phx_notification_records',
  'phx_notification_center_read_watermarks',
  'phx_notification_center_heads',
];

/** Row `i` of N: org-wide, a merchant's, the member's own or another user's (see LAYOUT). */
const ACTIVITY_ROWS = `
  SELECT i,
         CASE WHEN i % 100 < 50 THEN 'org' WHEN i % 100 < 60 THEN 'merchant' ELSE 'users' END AS scope,
         CASE WHEN i % 100 < 50 THEN 'bench-org'
              WHEN i % 100 < 60 THEN 'bench-merchant-' || (i / 100) % 5
              WHEN i % 100 = 60 THEN 'bench-member'
              ELSE 'bench-user-' || ((i / 100) * 39 + i % 100 - 61) % $2::int END AS id,
         now() - ($1::int - i) * interval '10 seconds' AS at
    FROM generate_series(1, $1::int) AS i`;

/** $1 rows of user $2 alone. */
const SMALL_USER_ROWS = `SELECT i, 'users' AS scope, $2::varchar AS id, now() AS at
  FROM generate_series(1, $1::int) AS i`;

/** Inserts `source` (columns i, scope, id, at) as activity notifications keyed `prefix` + i. */
function insertActivity(source: string, prefix: string): string {
  return `INSERT INTO activity_notifications
      (dedup_key, recipient_scope, recipient_id, type, organizer_id, merchant_id, actor_id, actor,
       content, action_url, data, occurred_at, created_at)
    SELECT '${prefix}' || i, scope, id, 'PAYMENT_SUCCESS', 'bench-org',
           CASE WHEN scope = 'merchant' THEN id END, 'bench-parent-' || i % 5000,
           jsonb_build_object('id', 'bench-parent-' || i % 5000, 'name', 'Phụ huynh ' || i % 5000,
                              'type', 'parent'),
           'Phụ huynh ' || i % 5000 || ' đã thanh toán hóa đơn ' || i, '/invoices/' || i,
           jsonb_build_object('invoiceId', i, 'amount', 100000 + i % 900 * 1000), at, at
      FROM (${source}) s`;
}

/**
 * Record `j` of $1: even ones $4's, odd ones one of $2 other users' (all $4's when $2 is 0); see
 * LAYOUT. Request ids derive from the key prefix $3, so both inserts below agree on them.
 */
const CENTER_RECORDS = `
  SELECT *, CASE WHEN user_id = $4::varchar THEN j % 97 = 0 ELSE j % 3 = 0 END AS read
    FROM (SELECT j, md5($3::text || j)::uuid AS request_id,
                 CASE WHEN $2::int = 0 OR j % 2 = 0 THEN $4::varchar
                      ELSE 'bench-user-' || (j / 2) % greatest($2::int, 1) END AS user_id,
                 CASE WHEN (j / 2) % 10 < 7 THEN 'SYSTEM' ELSE 'TO_ME' END AS type,
                 CASE WHEN j % 7 <> 0 THEN 1 + j % 3 END AS student_id,
                 j % 40 <> 0 AS in_center,
                 now() - ($1::int - j) * interval '10 seconds' AS at
            FROM generate_series(1, $1::int) AS j) r`;

/** $1 count, $2 other users, $3 request key prefix, $4 the member's id. */
const INSERT_CENTER = [
  `INSERT INTO phx_push_requests
      (id, idempotency_key, user_id, student_id, type, action_code, hostname, payload, status,
       handed_off_at, completed_at, created_at)
    SELECT request_id, $3::text || j, user_id, student_id, type, 'BENCH:NOTICE', 'bench.signal.local',
           jsonb_build_object('title', 'Thông báo ' || j), 'delivered', at, at, at
      FROM (${CENTER_RECORDS}) s`,
  `INSERT INTO phx_notification_records
      (request_id, user_id, student_id, type, action_code, module_code, title, message, payload,
       hostname, channel_status, in_center, read_at, created_at)
    SELECT request_id, user_id, student_id, type, 'BENCH:NOTICE', 'BENCH', 'Thông báo ' || j,
           'Nội dung thông báo số ' || j, jsonb_build_object('n', j), 'bench.signal.local',
           '{"in_app": {"status": "sent", "reason": null}}'::jsonb, in_center,
           CASE WHEN read THEN at + interval '1 hour' END, at
      FROM (${CENTER_RECORDS}) s`,
];

/** The member's watermarks: $1 user, $2 scopes, $3 ids, $4 share of N each, $5 N. */
const MEMBER_WATERMARKS = `INSERT INTO activity_notification_read_watermarks
      (user_id, recipient_scope, recipient_id, read_through_seq)
    SELECT $1::varchar, w.scope, w.id, n.seq
      FROM unnest($2::varchar[], $3::varchar[], $4::float8[]) AS w(scope, id, share)
     CROSS JOIN LATERAL (
       SELECT n.seq FROM activity_notifications n
        WHERE n.recipient_scope = w.scope AND n.recipient_id = w.id AND n.seq <= (w.share * $5::int)::bigint
        ORDER BY n.seq DESC LIMIT 1) n
     WHERE w.share > 0`;

/** The member's marks on 1 % of its rows above its watermarks ($1 user, $2 scopes, $3 ids). */
const MEMBER_MARKS = `INSERT INTO activity_notification_reads
      (user_id, notification_id, recipient_scope, recipient_id, seq, read_at)
    SELECT $1::varchar, n.id, n.recipient_scope, n.recipient_id, n.seq, n.created_at + interval '1 hour'
      FROM unnest($2::varchar[], $3::varchar[]) AS s(scope, id)
      LEFT JOIN activity_notification_read_watermarks w
        ON w.user_id = $1::varchar AND w.recipient_scope = s.scope AND w.recipient_id = s.id
      JOIN activity_notifications n ON n.recipient_scope = s.scope AND n.recipient_id = s.id
     WHERE n.seq > coalesce(w.read_through_seq, 0) AND n.seq % 97 = 0`;

/** Other members of the organizer: a watermark somewhere in its history ($1 N)… */
const OTHER_WATERMARKS = `INSERT INTO activity_notification_read_watermarks
      (user_id, recipient_scope, recipient_id, read_through_seq)
    SELECT 'bench-user-' || u, 'org', 'bench-org', $1::bigint * (u * 37 % 100) / 100 + 1
      FROM generate_series(0, ${ORG_READERS - 1}) AS u`;

/** … and marks on some of the organizer's rows above it. */
const OTHER_MARKS = `INSERT INTO activity_notification_reads
      (user_id, notification_id, recipient_scope, recipient_id, seq, read_at)
    SELECT w.user_id, n.id, n.recipient_scope, n.recipient_id, n.seq, n.created_at + interval '1 hour'
      FROM activity_notifications n
      JOIN activity_notification_read_watermarks w
        ON w.user_id = 'bench-user-' || n.seq % ${ORG_READERS}
       AND w.recipient_scope = 'org' AND w.recipient_id = 'bench-org'
     WHERE n.recipient_scope = 'org' AND n.recipient_id = 'bench-org' AND n.seq % 7 = 0
       AND n.seq > w.read_through_seq`;

/** The member's SYSTEM tab read through 10 % of the records ($2 M); TO_ME never read all. */
const MEMBER_CENTER_WATERMARK = `INSERT INTO phx_notification_center_read_watermarks
    (user_id, type, read_through_seq, read_through_count)
  SELECT $1::varchar, 'SYSTEM', max(seq), count(*) FROM phx_notification_records
   WHERE user_id = $1::varchar AND type = 'SYSTEM' AND in_center AND seq <= $2::int / 10
  HAVING max(seq) IS NOT NULL`;

export interface Seeded {
  activity_rows: number;
  activity_member_visible: number;
  activity_reads: number;
  center_records: number;
  center_member_records: number;
  seconds: number;
  /** Seconds per phase of `seconds`. */
  phases: Record<string, number>;
}

/** Empties the bench's tables and fills them for `rows` activity and `records` Center rows. */
export async function seed(db: DataSource, rows: number, records: number): Promise<Seeded> {
  const startedAt = performance.now();
  const phases: Record<string, number> = {};
  const phase = async (name: string, work: () => Promise<void>) => {
    const phaseStart = performance.now();
    await work();
    phases[name] = Math.round((performance.now() - phaseStart) / 100) / 10;
  };
  const otherUsers = Math.max(100, Math.floor(rows / 100));
  const [scopes, ids] = streamsOf(MEMBER);
  const session = db.createQueryRunner();
  try {
    await session.query(`TRUNCATE ${TABLES.join(', ')} RESTART IDENTITY CASCADE`);
    await phase('rows_s', () =>
      loadWithoutIndexes(session, BULK_TABLES, async () => {
        await session.query(insertActivity(ACTIVITY_ROWS, 'bench-'), [rows, otherUsers]);
        await session.query(insertActivity(SMALL_USER_ROWS, 'bench-small-'), [
          SMALL_ROWS,
          SMALL.userId,
        ]);
        for (const statement of INSERT_CENTER) {
          await session.query(statement, [records, otherUsers, 'bench-center-', MEMBER.userId]);
          await session.query(statement, [SMALL_ROWS, 0, 'bench-small-center-', SMALL.userId]);
        }
      }),
    );
    await phase('read_state_s', async () => {
      // The read state's queries join the rows: plan them on the rows' statistics.
      for (const table of BULK_TABLES) await session.query(`ANALYZE ${table}`);
      // Shares of N per stream, in the order of `streamsOf`: users, org, merchant 0, merchant 1.
      const shares = ids.map((id) =>
        id === MEMBER.userId
          ? 0.5
          : id === MEMBER.organizerId || id === MEMBER.merchantIds[0]
            ? 0.1
            : 0,
      );
      await session.query(MEMBER_WATERMARKS, [MEMBER.userId, scopes, ids, shares, rows]);
      await session.query(OTHER_WATERMARKS, [rows]);
      // The rows each watermark covers, as the migration computes them (heads: the insert trigger).
      await session.query(ACTIVITY_READ_THROUGH_COUNTS);
      await session.query(`ANALYZE activity_notification_read_watermarks`);
      await session.query(MEMBER_MARKS, [MEMBER.userId, scopes, ids]);
      await session.query(OTHER_MARKS);
      await session.query(MEMBER_CENTER_WATERMARK, [MEMBER.userId, records]);
      // The marks above each watermark, as the migration counts them.
      await session.query(ACTIVITY_MARKED_ABOVE);
      await session.query(CENTER_MARKED_ABOVE);
    });
    // Hint bits and the visibility map set, statistics fresh: as autovacuum keeps a live table.
    await phase('vacuum_analyze_s', async () => {
      for (const table of TABLES) await session.query(`VACUUM (ANALYZE) ${table}`);
    });
  } finally {
    await session.release();
  }

  const [counts]: Record<string, string>[] = await db.query(
    `SELECT (SELECT count(*) FROM activity_notifications) AS activity_rows,
            (SELECT count(*) FROM activity_notifications n
               JOIN unnest($1::varchar[], $2::varchar[]) AS s(scope, id)
                 ON n.recipient_scope = s.scope AND n.recipient_id = s.id) AS activity_member_visible,
            (SELECT count(*) FROM activity_notification_reads) AS activity_reads,
            (SELECT count(*) FROM phx_notification_records) AS center_records,
            (SELECT count(*) FROM phx_notification_records
              WHERE user_id = $3 AND in_center) AS center_member_records`,
    [scopes, ids, MEMBER.userId],
  );
  return {
    activity_rows: Number(counts.activity_rows),
    activity_member_visible: Number(counts.activity_member_visible),
    activity_reads: Number(counts.activity_reads),
    center_records: Number(counts.center_records),
    center_member_records: Number(counts.center_member_records),
    seconds: Math.round((performance.now() - startedAt) / 100) / 10,
    phases,
  };
}

let added = 0;

/** New organizer rows, so that the member's next read-all has something to mark. */
export async function addOrganizerRows(db: DataSource, count: number): Promise<void> {
  await db.query(
    insertActivity(
      `SELECT i, 'org' AS scope, $2::varchar AS id, now() AS at
         FROM generate_series($3::int + 1, $3::int + $1::int) i`,
      'bench-new-',
    ),
    [count, MEMBER.organizerId, added],
  );
  added += count;
}

/** New records of the member, so that its next Notification Center read-all has something to mark. */
export async function addMemberRecords(db: DataSource, count: number): Promise<void> {
  for (const statement of INSERT_CENTER) {
    await db.query(statement, [count, 0, `bench-new-${added}-`, MEMBER.userId]);
  }
  added += count;
}

/** The seq `offset` rows back in the member's activity inbox: a deep page's cursor. */
export async function activityCursorAt(db: DataSource, offset: number): Promise<string> {
  const [row]: { seq: string }[] = await db.query(
    `SELECT n.seq FROM activity_notifications n
       JOIN unnest($1::varchar[], $2::varchar[]) AS s(scope, id)
         ON n.recipient_scope = s.scope AND n.recipient_id = s.id
      ORDER BY n.seq DESC OFFSET $3 LIMIT 1`,
    [...streamsOf(MEMBER), offset],
  );
  return row.seq;
}

/** The seq `offset` records back in the member's Notification Center. */
export async function centerCursorAt(db: DataSource, offset: number): Promise<string> {
  const [row]: { seq: string }[] = await db.query(
    `SELECT seq FROM phx_notification_records WHERE user_id = $1 AND in_center
      ORDER BY seq DESC OFFSET $2 LIMIT 1`,
    [MEMBER.userId, offset],
  );
  return row.seq;
}

/**
 * `count` unread notifications of the member, every `stride`-th seq (from the newest on, so some
 * are below the deep page and most above it): for single marks.
 */
export async function unreadActivityIds(
  db: DataSource,
  count: number,
  stride: number,
): Promise<string[]> {
  const rows: { id: string }[] = await db.query(
    `SELECT n.id FROM unnest($1::varchar[], $2::varchar[]) AS s(scope, id)
       LEFT JOIN activity_notification_read_watermarks w
         ON w.user_id = $3 AND w.recipient_scope = s.scope AND w.recipient_id = s.id
       JOIN activity_notifications n ON n.recipient_scope = s.scope AND n.recipient_id = s.id
      WHERE n.seq > coalesce(w.read_through_seq, 0) AND n.seq % $5::int = 0
        AND NOT EXISTS (SELECT 1 FROM activity_notification_reads r
                         WHERE r.user_id = $3 AND r.notification_id = n.id)
      ORDER BY n.seq DESC LIMIT $4`,
    [...streamsOf(MEMBER), MEMBER.userId, count, stride],
  );
  return rows.map((row) => row.id);
}

/** `count` unread records of the member, every `stride`-th seq from the newest on. */
export async function unreadRecordIds(
  db: DataSource,
  count: number,
  stride: number,
): Promise<string[]> {
  const rows: { id: string }[] = await db.query(
    `SELECT r.id FROM phx_notification_records r
       LEFT JOIN phx_notification_center_read_watermarks w ON w.user_id = r.user_id AND w.type = r.type
      WHERE r.user_id = $1 AND r.in_center AND r.read_at IS NULL
        AND r.seq > coalesce(w.read_through_seq, 0) AND r.seq % $3::int = 0
      ORDER BY r.seq DESC LIMIT $2`,
    [MEMBER.userId, count, stride],
  );
  return rows.map((row) => row.id);
}
