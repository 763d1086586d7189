import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PhxChannelStatus } from './phx-notification-record.entity';
import { preparedQuery } from '../prepared-query';

/** A Notification Center record as its user sees it. */
export interface PhxNotificationRecordView {
  id: string;
  /** Insertion order, as a decimal string (bigint): the page cursor. */
  seq: string;
  requestId: string;
  userId: string;
  studentId: number | null;
  type: string;
  actionCode: string;
  moduleCode: string | null;
  title: string;
  message: string;
  /** Any JSON value (`pushNotiMobile.payload` or `inApp.payload`, seed 004: `payload: any`). */
  payload: unknown;
  hostname: string;
  channelStatus: PhxChannelStatus;
  inCenter: boolean;
  isRead: boolean;
  createdAt: Date;
}

export type NewPhxNotificationRecord = Omit<
  PhxNotificationRecordView,
  'id' | 'seq' | 'isRead' | 'createdAt'
>;

interface RecordRow {
  id: string;
  seq: string;
  request_id: string;
  user_id: string;
  student_id: string | null;
  type: string;
  action_code: string;
  module_code: string | null;
  title: string;
  message: string;
  payload: unknown;
  hostname: string;
  channel_status: PhxChannelStatus;
  in_center: boolean;
  is_read: boolean;
  created_at: Date;
}

const RECORD_COLUMNS = `r.id, r.seq, r.request_id, r.user_id, r.student_id, r.type, r.action_code,
  r.module_code, r.title, r.message, r.payload, r.hostname, r.channel_status, r.in_center,
  r.created_at`;

/**
 * `tabs`: the tabs asked for ($2) with the user's ($1) watermark in each, how many of the tab's
 * records it covers and how many above it were marked read one by one. A record is read when its
 * own `read_at` is set or its seq is at or below its tab's watermark.
 */
const TABS = `WITH tabs AS (
  SELECT t.type, coalesce(w.read_through_seq, 0) AS read_through,
         coalesce(w.read_through_count, 0) AS read_through_count,
         coalesce(w.marked_above, 0) AS marked_above
    FROM unnest($2::varchar[]) AS t(type)
    LEFT JOIN phx_notification_center_read_watermarks w ON w.user_id = $1 AND w.type = t.type
)`;
const IS_READ = '(r.read_at IS NOT NULL OR r.seq <= t.read_through)';
/** The head of tab `t`. */
const AT_HEAD = 'ON h.user_id = $1 AND h.type = t.type';

function toView(row: RecordRow): PhxNotificationRecordView {
  return {
    id: row.id,
    seq: row.seq,
    requestId: row.request_id,
    userId: row.user_id,
    studentId: row.student_id === null ? null : Number(row.student_id),
    type: row.type,
    actionCode: row.action_code,
    moduleCode: row.module_code,
    title: row.title,
    message: row.message,
    payload: row.payload,
    hostname: row.hostname,
    channelStatus: row.channel_status,
    inCenter: row.in_center,
    isRead: row.is_read,
    createdAt: row.created_at,
  };
}

const BIGINT_MAX = '9223372036854775807';

export interface NotificationCenterFilter {
  /** The tabs to list (`type`): every tab, or one. */
  tabs: string[];
  studentId?: number;
  unreadOnly: boolean;
}

/** Every query on Notification Records: the Consumer's writes and the Notification Center's reads. */
@Injectable()
export class PhxNotificationRecordRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * One record per request, in two statements at most: a redelivered request finds its record
   * and gets `created: false`. Answers in input order.
   */
  async insertMany(
    records: NewPhxNotificationRecord[],
  ): Promise<{ record: PhxNotificationRecordView; created: boolean }[]> {
    if (records.length === 0) return [];
    // One JSON document rather than an array per column: pg escapes array elements in JavaScript.
    // The batch's tab heads are locked (sorted, so batches never deadlock) before any record takes
    // its seq, and stay locked until commit: per tab, records commit in seq order, so a head seen
    // at seq S counts every record at or below S. `WHERE false` locks without writing; the trigger
    // then adds the new records.
    const inserted: RecordRow[] = await preparedQuery(
      this.dataSource,
      `WITH batch AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb)
           AS r(request_id uuid, user_id varchar, student_id bigint, type varchar,
                action_code varchar, module_code varchar, title text, message text, payload jsonb,
                hostname varchar, channel_status jsonb, in_center boolean)
       ), locked AS (
         INSERT INTO phx_notification_center_heads AS h (user_id, type)
         SELECT DISTINCT user_id, type FROM batch WHERE in_center ORDER BY 1, 2
         ON CONFLICT (user_id, type) DO UPDATE SET row_count = h.row_count WHERE false
         RETURNING 1
       )
       INSERT INTO phx_notification_records
         (request_id, user_id, student_id, type, action_code, module_code, title, message, payload,
          hostname, channel_status, in_center)
       SELECT r.request_id, r.user_id, r.student_id, r.type, r.action_code, r.module_code, r.title,
              -- A payload of JSON null comes out of the recordset as SQL NULL: stored as JSON null.
              r.message, coalesce(r.payload, 'null'::jsonb), r.hostname, r.channel_status, r.in_center
         FROM batch r
        WHERE (SELECT count(*) FROM locked) >= 0
       ON CONFLICT (request_id) DO NOTHING
       RETURNING id, seq, request_id, user_id, student_id, type, action_code, module_code, title,
                 message, payload, hostname, channel_status, in_center, created_at,
                 false AS is_read`,
      [
        JSON.stringify(
          records.map((r) => ({
            request_id: r.requestId,
            user_id: r.userId,
            student_id: r.studentId,
            type: r.type,
            action_code: r.actionCode,
            module_code: r.moduleCode,
            title: r.title,
            message: r.message,
            payload: r.payload,
            hostname: r.hostname,
            channel_status: r.channelStatus,
            in_center: r.inCenter,
          })),
        ),
      ],
    );
    const created = new Set(inserted.map((row) => row.request_id));
    const missing = records.map((r) => r.requestId).filter((id) => !created.has(id));
    const existing: RecordRow[] =
      missing.length === 0
        ? []
        : await this.dataSource.query(
            `SELECT ${RECORD_COLUMNS}, (r.read_at IS NOT NULL OR r.seq <= coalesce(w.read_through_seq, 0)) AS is_read
               FROM phx_notification_records r
               LEFT JOIN phx_notification_center_read_watermarks w
                 ON w.user_id = r.user_id AND w.type = r.type
              WHERE r.request_id = ANY($1::uuid[])`,
            [missing],
          );
    const byRequest = new Map([...inserted, ...existing].map((row) => [row.request_id, row]));
    return records.map((r) => ({
      record: toView(byRequest.get(r.requestId)!),
      created: created.has(r.requestId),
    }));
  }

  /** Sets each record's channel status; `= ANY` repeats the join, so records are found by key whatever the plan. */
  async updateChannelStatuses(
    updates: { requestId: string; channelStatus: PhxChannelStatus }[],
  ): Promise<void> {
    if (updates.length === 0) return;
    await preparedQuery(
      this.dataSource,
      `UPDATE phx_notification_records r SET channel_status = u.channel_status
         FROM jsonb_to_recordset($2::jsonb) AS u(request_id uuid, channel_status jsonb)
        WHERE r.request_id = u.request_id AND r.request_id = ANY($1::uuid[])`,
      [
        updates.map((u) => u.requestId),
        JSON.stringify(
          updates.map((u) => ({ request_id: u.requestId, channel_status: u.channelStatus })),
        ),
      ],
    );
  }

  /**
   * Newest first, strictly older than `beforeSeq`: pages stay stable while new records arrive.
   * Each tab is read in seq order through its index and merged.
   */
  async listNewestFirst(
    userId: string,
    filter: NotificationCenterFilter & { beforeSeq?: string; limit: number },
  ): Promise<PhxNotificationRecordView[]> {
    const rows: RecordRow[] = await this.dataSource.query(
      `${TABS}
       SELECT ${RECORD_COLUMNS}, ${IS_READ} AS is_read
         FROM tabs t
        CROSS JOIN LATERAL (
          SELECT * FROM phx_notification_records r
           WHERE r.user_id = $1 AND r.in_center AND r.type = t.type
             AND ($3::bigint IS NULL OR r.student_id = $3)
             AND r.seq < $4::bigint
             AND (NOT $5::boolean OR (r.read_at IS NULL AND r.seq > t.read_through))
           ORDER BY r.seq DESC
           LIMIT $6
        ) r
        ORDER BY r.seq DESC
        LIMIT $6`,
      [
        userId,
        filter.tabs,
        filter.studentId ?? null,
        filter.beforeSeq ?? BIGINT_MAX,
        filter.unreadOnly,
        filter.limit,
      ],
    );
    return rows.map(toView);
  }

  /**
   * Unread records of each of `tabs`, exact without counting records: the tab's records less those
   * its watermark covers, less those marked one by one above it.
   */
  async countUnreadByType(userId: string, tabs: string[]): Promise<Record<string, number>> {
    const rows: { type: string; count: string }[] = await this.dataSource.query(
      `${TABS}
       SELECT t.type, coalesce(h.row_count, 0) - t.read_through_count - t.marked_above AS count
         FROM tabs t
         LEFT JOIN phx_notification_center_heads h ${AT_HEAD}`,
      [userId, tabs],
    );
    return Object.fromEntries(rows.map((row) => [row.type, Number(row.count)]));
  }

  /**
   * False when the user has no such record; marking twice is fine. A record newly marked above its
   * tab's watermark adds one to the watermark's `marked_above`, decided on its locked row (see
   * `ActivityNotificationRepository.markRead`).
   */
  async markRead(userId: string, id: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      // The UPDATE sits in a CTE: TypeORM answers a bare UPDATE with [rows, count].
      const [target]: { type: string; marked_seq: string | null }[] = await manager.query(
        `WITH target AS (
           SELECT id, type FROM phx_notification_records
            WHERE id = $1 AND user_id = $2 AND in_center
         ), marked AS (
           UPDATE phx_notification_records r SET read_at = now()
             FROM target t WHERE r.id = t.id AND r.read_at IS NULL
           RETURNING r.seq
         )
         SELECT t.type, (SELECT seq FROM marked) AS marked_seq FROM target t`,
        [id, userId],
      );
      if (!target) return false;
      if (target.marked_seq !== null) {
        await manager.query(
          `INSERT INTO phx_notification_center_read_watermarks AS w
             (user_id, type, read_through_seq, read_through_count, marked_above)
           VALUES ($1, $2, 0, 0, 1)
           ON CONFLICT (user_id, type) DO UPDATE
             SET marked_above = w.marked_above
                   + CASE WHEN $3::bigint > w.read_through_seq THEN 1 ELSE 0 END`,
          [userId, target.type, target.marked_seq],
        );
      }
      return true;
    });
  }

  /**
   * Moves the user's watermark of each of `tabs` to its head: one write per tab however long its
   * history. Returns how many records were unread up to there (exact, counted like
   * `countUnreadByType`). A record committed while it runs stays unread: a head's records commit
   * in seq order (see `insertMany`). The watermarks are locked first, as in
   * `ActivityNotificationRepository.markAllRead`.
   */
  async markAllRead(userId: string, tabs: string[]): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO phx_notification_center_read_watermarks AS w (user_id, type, read_through_seq)
         SELECT DISTINCT $1::varchar, t.type, 0::bigint FROM unnest($2::varchar[]) AS t(type)
          ORDER BY 2
         ON CONFLICT (user_id, type) DO UPDATE SET user_id = w.user_id`,
        [userId, tabs],
      );
      const [row]: { marked: string }[] = await manager.query(
        `${TABS}, moving AS (
           SELECT t.type, h.last_seq, h.row_count,
                  h.row_count - t.read_through_count - t.marked_above AS unread
             FROM tabs t
             JOIN phx_notification_center_heads h ${AT_HEAD}
            WHERE h.last_seq > t.read_through
         ), moved AS (
           UPDATE phx_notification_center_read_watermarks w
              SET read_through_seq = m.last_seq,
                  read_through_count = m.row_count,
                  marked_above = 0,
                  updated_at = now()
             FROM moving m
            WHERE w.user_id = $1 AND w.type = m.type
         )
         SELECT coalesce(sum(unread), 0) AS marked FROM moving`,
        [userId, tabs],
      );
      return Number(row.marked);
    });
  }
}
