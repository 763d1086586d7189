import { Injectable } from '@nestjs/common';
import { TActivityNotificationRecipientScope } from '@signal/core';
import { DataSource } from 'typeorm';

/** A notification as one user sees it: with that user's read state. */
export interface ActivityNotificationView {
  id: string;
  /** Insertion order, as a decimal string (bigint). */
  seq: string;
  recipientScope: string;
  recipientId: string;
  type: string;
  organizerId: string | null;
  content: string;
  actionUrl: string | null;
  data: Record<string, unknown>;
  createdAt: Date;
  isRead: boolean;
}

/** One row to insert; `dedupKey` + `recipientId` make it unique. */
export interface NewActivityNotification {
  dedupKey: string;
  recipientId: string;
  type: string;
  recipientScope: TActivityNotificationRecipientScope;
  organizerId: string | null;
  merchantId: string | null;
  actorId: string;
  actor: { id: string; name: string; type: string };
  content: string;
  actionUrl: string | null;
  data: Record<string, unknown>;
  occurredAt: Date;
}

/** The rows addressed to one recipient: user, organizer and merchant ids share one namespace. */
export interface InboxRecipient {
  scope: TActivityNotificationRecipientScope;
  id: string;
}

/** Whose inbox: the user (who owns the read state) and every recipient whose rows they see. */
export interface InboxOwner {
  userId: string;
  recipients: InboxRecipient[];
}

/** Where a reconnecting client's replay starts: the last notification it saw. */
export interface ReplayAnchor {
  id: string;
  seq: string;
  createdAt: Date;
}

interface ViewRow {
  id: string;
  seq: string;
  recipient_scope: string;
  recipient_id: string;
  type: string;
  organizer_id: string | null;
  content: string;
  action_url: string | null;
  data: Record<string, unknown>;
  created_at: Date;
  is_read: boolean;
}

const BIGINT_MAX = '9223372036854775807';

/**
 * `streams`: the owner's recipient streams ($2 scopes, $3 ids) with the user's ($1) watermark in
 * each, how many of the stream's rows it covers and how many above it the user marked read.
 * Queries read each stream through the (scope, id, seq) index and merge: `recipient_id =
 * ANY(...) ORDER BY seq` cannot walk one index in order across several recipients.
 */
const STREAMS = `WITH streams AS (
  SELECT s.scope, s.id, coalesce(w.read_through_seq, 0) AS read_through,
         coalesce(w.read_through_count, 0) AS read_through_count,
         coalesce(w.marked_above, 0) AS marked_above
    FROM unnest($2::varchar[], $3::varchar[]) AS s(scope, id)
    LEFT JOIN activity_notification_read_watermarks w
      ON w.user_id = $1 AND w.recipient_scope = s.scope AND w.recipient_id = s.id
)`;

const IN_STREAM = 'n.recipient_scope = s.scope AND n.recipient_id = s.id';
const MARKED = `EXISTS (
  SELECT 1 FROM activity_notification_reads r WHERE r.user_id = $1 AND r.notification_id = n.id)`;

/** The head of stream `s`. */
const AT_HEAD = 'ON h.recipient_scope = s.scope AND h.recipient_id = s.id';

const VIEW_COLUMNS = `n.id, n.seq, n.recipient_scope, n.recipient_id, n.type, n.organizer_id, n.content,
  n.action_url, n.data, n.created_at, (n.seq <= s.read_through OR ${MARKED}) AS is_read`;

/** The owner's recipients as two parallel arrays (scopes, ids), for `unnest`. */
function recipientArrays(owner: InboxOwner): [string[], string[]] {
  return [
    owner.recipients.map((recipient) => recipient.scope),
    owner.recipients.map((recipient) => recipient.id),
  ];
}

/** $1, $2, $3 of `STREAMS`. */
function streamParams(owner: InboxOwner): [string, string[], string[]] {
  return [owner.userId, ...recipientArrays(owner)];
}

/** What the database made of a new row: the rest of its view is the row as given. */
interface InsertedRow {
  id: string;
  seq: string;
  dedup_key: string;
  recipient_id: string;
  created_at: Date;
}

const pairKey = (dedupKey: string, recipientId: string) => `${dedupKey}\u0000${recipientId}`;

function newView(row: NewActivityNotification, made: InsertedRow): ActivityNotificationView {
  return {
    id: made.id,
    seq: made.seq,
    recipientScope: row.recipientScope,
    recipientId: row.recipientId,
    type: row.type,
    organizerId: row.organizerId,
    content: row.content,
    actionUrl: row.actionUrl,
    data: row.data,
    createdAt: made.created_at,
    isRead: false,
  };
}

function toView(row: ViewRow): ActivityNotificationView {
  return {
    id: row.id,
    seq: row.seq,
    recipientScope: row.recipient_scope,
    recipientId: row.recipient_id,
    type: row.type,
    organizerId: row.organizer_id,
    content: row.content,
    actionUrl: row.action_url,
    data: row.data,
    createdAt: row.created_at,
    isRead: row.is_read,
  };
}

/**
 * Every query on activity notifications and their per-user read state: a watermark per user and
 * recipient stream, and per-item marks above it.
 */
@Injectable()
export class ActivityNotificationRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Inserts in one statement; rows whose (dedup key, recipient) exists already are skipped, and so
   * are later rows of the same pair in `rows`. Returns only the rows that are new, in insertion
   * order.
   */
  async insertIgnoringDuplicates(
    rows: NewActivityNotification[],
  ): Promise<ActivityNotificationView[]> {
    if (rows.length === 0) return [];
    // The database answers only what it made (id, seq, created_at): the rest of each view is the
    // row it was given, found by its (dedup key, recipient), which leaves one row per pair. The
    // first, as the insert would: later ones of a pair conflict with it and are skipped.
    const byKey = new Map<string, NewActivityNotification>();
    for (const row of rows) {
      const key = pairKey(row.dedupKey, row.recipientId);
      if (!byKey.has(key)) byKey.set(key, row);
    }
    // One JSON document rather than an array per column: pg escapes array elements in JavaScript.
    // The batch's stream heads are locked (sorted, so batches never deadlock) before any row takes
    // its seq, and stay locked until commit: per stream, rows commit in seq order, so a head seen
    // at seq S counts every row at or below S, and "read all" through S leaves none behind. `WHERE
    // false` locks the existing heads without writing them; the trigger then adds the new rows.
    const inserted: InsertedRow[] = await this.dataSource.query(
      `WITH batch AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(
           dedup_key varchar, recipient_id varchar, type varchar, recipient_scope varchar,
           organizer_id varchar, merchant_id varchar, actor_id varchar, actor jsonb, content text,
           action_url text, data jsonb, occurred_at timestamptz)
       ), locked AS (
         INSERT INTO activity_notification_stream_heads AS h (recipient_scope, recipient_id)
         SELECT DISTINCT recipient_scope, recipient_id FROM batch ORDER BY 1, 2
         ON CONFLICT (recipient_scope, recipient_id) DO UPDATE SET row_count = h.row_count
           WHERE false
         RETURNING 1
       )
       INSERT INTO activity_notifications
         (dedup_key, recipient_id, type, recipient_scope, organizer_id, merchant_id, actor_id, actor,
          content, action_url, data, occurred_at)
       SELECT * FROM batch WHERE (SELECT count(*) FROM locked) >= 0
       ON CONFLICT (dedup_key, recipient_id) DO NOTHING
       RETURNING id, seq, dedup_key, recipient_id, created_at`,
      [
        JSON.stringify(
          [...byKey.values()].map((row) => ({
            dedup_key: row.dedupKey,
            recipient_id: row.recipientId,
            type: row.type,
            recipient_scope: row.recipientScope,
            organizer_id: row.organizerId,
            merchant_id: row.merchantId,
            actor_id: row.actorId,
            actor: row.actor,
            content: row.content,
            action_url: row.actionUrl,
            data: row.data,
            occurred_at: row.occurredAt.toISOString(),
          })),
        ),
      ],
    );
    return inserted
      .map((made) => newView(byKey.get(pairKey(made.dedup_key, made.recipient_id))!, made))
      .sort((a, b) => compareSeq(a.seq, b.seq));
  }

  /**
   * The stored rows of these (dedup key, recipient) pairs created at most `withinMs` ago (by the
   * database's clock), in insertion order: what a redelivered message had written before.
   */
  async findCreatedWithin(
    keys: Pick<NewActivityNotification, 'dedupKey' | 'recipientId'>[],
    withinMs: number,
  ): Promise<ActivityNotificationView[]> {
    if (keys.length === 0) return [];
    const rows: ViewRow[] = await this.dataSource.query(
      `SELECT n.id, n.seq, n.recipient_scope, n.recipient_id, n.type, n.organizer_id, n.content,
              n.action_url, n.data, n.created_at, false AS is_read
         FROM activity_notifications n
        WHERE (n.dedup_key, n.recipient_id) IN (
                SELECT * FROM unnest($1::varchar[], $2::varchar[]))
          AND n.created_at >= now() - make_interval(secs => $3::double precision / 1000)
        ORDER BY n.seq`,
      [keys.map((key) => key.dedupKey), keys.map((key) => key.recipientId), withinMs],
    );
    return rows.map(toView);
  }

  /** The notification if the owner can see it: where a replay from it starts. */
  async findAnchor(owner: InboxOwner, id: string): Promise<ReplayAnchor | null> {
    const [row]: { seq: string; created_at: Date }[] = await this.dataSource.query(
      `SELECT n.seq, n.created_at
         FROM unnest($2::varchar[], $3::varchar[]) AS s(scope, id)
         JOIN activity_notifications n ON ${IN_STREAM}
        WHERE n.id = $1`,
      [id, ...recipientArrays(owner)],
    );
    return row ? { id, seq: row.seq, createdAt: row.created_at } : null;
  }

  /** Newest first, strictly older than `beforeSeq`: pages stay stable while new rows arrive. */
  async listNewestFirst(
    owner: InboxOwner,
    options: { beforeSeq?: string; limit: number; unreadOnly: boolean },
  ): Promise<ActivityNotificationView[]> {
    const rows: ViewRow[] = await this.dataSource.query(
      `${STREAMS}
       SELECT ${VIEW_COLUMNS}
         FROM streams s
        CROSS JOIN LATERAL (
          SELECT * FROM activity_notifications n
           WHERE ${IN_STREAM} AND n.seq < $4::bigint
             AND (NOT $5::boolean OR (n.seq > s.read_through AND NOT ${MARKED}))
           ORDER BY n.seq DESC
           LIMIT $6
        ) n
        ORDER BY n.seq DESC
        LIMIT $6`,
      [...streamParams(owner), options.beforeSeq ?? BIGINT_MAX, options.unreadOnly, options.limit],
    );
    return rows.map(toView);
  }

  /**
   * What a client that last saw `anchor` may have missed, oldest first: every row after it, and
   * also, in each stream, every row after the last one created more than `overlapMs` before it.
   * With several partitions and instances, rows are neither committed nor emitted in seq order,
   * so a row older than the anchor can still have reached the client after it, or not at all.
   * `afterSeq` continues a page that hit `limit`.
   */
  async listMissedSince(
    owner: InboxOwner,
    options: { anchor: ReplayAnchor; overlapMs: number; afterSeq?: string; limit: number },
  ): Promise<ActivityNotificationView[]> {
    const { anchor } = options;
    const rows: ViewRow[] = await this.dataSource.query(
      `${STREAMS}
       SELECT ${VIEW_COLUMNS}
         FROM streams s
        CROSS JOIN LATERAL (
          SELECT * FROM activity_notifications n
           WHERE ${IN_STREAM} AND n.seq <> $5::bigint
             AND n.seq > greatest($4::bigint, coalesce((
                   SELECT o.seq FROM activity_notifications o
                    WHERE o.recipient_scope = s.scope AND o.recipient_id = s.id
                      AND o.seq < $5::bigint AND o.created_at < $6::timestamptz
                    ORDER BY o.seq DESC
                    LIMIT 1), 0))
           ORDER BY n.seq
           LIMIT $7
        ) n
        ORDER BY n.seq
        LIMIT $7`,
      [
        ...streamParams(owner),
        options.afterSeq ?? '0',
        anchor.seq,
        new Date(anchor.createdAt.getTime() - options.overlapMs),
        options.limit,
      ],
    );
    return rows.map(toView);
  }

  /**
   * Exact, without counting rows: each stream's rows less those its watermark covers, less the
   * marks above the watermark.
   */
  async countUnread(owner: InboxOwner): Promise<number> {
    const [row]: { count: string }[] = await this.dataSource.query(
      `${STREAMS}
       SELECT coalesce(sum(coalesce(h.row_count, 0) - s.read_through_count - s.marked_above), 0)
           AS count
         FROM streams s
         LEFT JOIN activity_notification_stream_heads h ${AT_HEAD}`,
      streamParams(owner),
    );
    return Number(row.count);
  }

  /**
   * False when the owner cannot see the notification; marking twice is fine. A new mark above
   * the watermark adds one to its `marked_above`, decided on the watermark's locked row: a
   * concurrent read-all either ran first (the mark is below it: nothing to add) or waits.
   */
  async markRead(owner: InboxOwner, id: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const [target]: {
        marked_seq: string | null;
        recipient_scope: string;
        recipient_id: string;
      }[] = await manager.query(
        `${STREAMS}, target AS (
             SELECT n.id, n.seq, n.recipient_scope, n.recipient_id, s.read_through
               FROM streams s JOIN activity_notifications n ON ${IN_STREAM}
              WHERE n.id = $4
           ), marked AS (
             INSERT INTO activity_notification_reads
               (user_id, notification_id, recipient_scope, recipient_id, seq)
             SELECT $1, id, recipient_scope, recipient_id, seq FROM target WHERE seq > read_through
             ON CONFLICT DO NOTHING
             RETURNING seq
           )
           SELECT t.recipient_scope, t.recipient_id, (SELECT seq FROM marked) AS marked_seq
             FROM target t`,
        [...streamParams(owner), id],
      );
      if (!target) return false;
      if (target.marked_seq !== null) {
        await manager.query(
          `INSERT INTO activity_notification_read_watermarks AS w
             (user_id, recipient_scope, recipient_id, read_through_seq, read_through_count, marked_above)
           VALUES ($1, $2, $3, 0, 0, 1)
           ON CONFLICT (user_id, recipient_scope, recipient_id) DO UPDATE
             SET marked_above = w.marked_above
                   + CASE WHEN $4::bigint > w.read_through_seq THEN 1 ELSE 0 END`,
          [owner.userId, target.recipient_scope, target.recipient_id, target.marked_seq],
        );
      }
      return true;
    });
  }

  /**
   * Moves the owner's watermark of each stream to its head: one write per stream however long its
   * history. Returns how many notifications were unread up to there (exact, counted like
   * `countUnread`). A notification committed while it runs stays unread: a head's rows commit in
   * seq order (see `insertIgnoringDuplicates`). The watermarks are locked (created if missing)
   * before the move takes its snapshot, so no mark is being counted meanwhile, and none can be
   * above the new watermark: a mark's row committed before the mark, so at or below the head.
   */
  async markAllRead(owner: InboxOwner): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO activity_notification_read_watermarks AS w
           (user_id, recipient_scope, recipient_id, read_through_seq)
         SELECT DISTINCT $1::varchar, s.scope, s.id, 0::bigint
           FROM unnest($2::varchar[], $3::varchar[]) AS s(scope, id)
          ORDER BY 2, 3
         ON CONFLICT (user_id, recipient_scope, recipient_id) DO UPDATE SET user_id = w.user_id`,
        streamParams(owner),
      );
      const [row]: { marked: string }[] = await manager.query(
        `${STREAMS}, moving AS (
           SELECT s.scope, s.id, h.last_seq, h.row_count,
                  h.row_count - s.read_through_count - s.marked_above AS unread
             FROM streams s
             JOIN activity_notification_stream_heads h ${AT_HEAD}
            WHERE h.last_seq > s.read_through
         ), moved AS (
           UPDATE activity_notification_read_watermarks w
              SET read_through_seq = m.last_seq,
                  read_through_count = m.row_count,
                  marked_above = 0,
                  updated_at = now()
             FROM moving m
            WHERE w.user_id = $1 AND w.recipient_scope = m.scope AND w.recipient_id = m.id
         )
         SELECT coalesce(sum(unread), 0) AS marked FROM moving`,
        streamParams(owner),
      );
      return Number(row.marked);
    });
  }
}

function compareSeq(a: string, b: string): number {
  const difference = BigInt(a) - BigInt(b);
  return difference === 0n ? 0 : difference < 0n ? -1 : 1;
}
