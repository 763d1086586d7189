import { Injectable } from '@nestjs/common';
import { NotificationCenterRecordPayload } from '@signal/core';
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
  payload: Record<string, unknown>;
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
  payload: Record<string, unknown>;
  hostname: string;
  channel_status: PhxChannelStatus;
  in_center: boolean;
  read_at: Date | null;
  created_at: Date;
}

const RECORD_COLUMNS = `id, seq, request_id, user_id, student_id, type, action_code, module_code, title,
  message, payload, hostname, channel_status, in_center, read_at, created_at`;

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
    isRead: row.read_at !== null,
    createdAt: row.created_at,
  };
}

/** The wire shape of a record, for sockets and the Notification Center REST alike. */
export function toNotificationCenterRecordPayload(
  view: PhxNotificationRecordView,
): NotificationCenterRecordPayload {
  return {
    id: view.id,
    type: view.type,
    actionCode: view.actionCode,
    moduleCode: view.moduleCode,
    studentId: view.studentId,
    title: view.title,
    message: view.message,
    payload: view.payload,
    hostname: view.hostname,
    isRead: view.isRead,
    createdAt: view.createdAt.toISOString(),
  };
}

export interface NotificationCenterFilter {
  type?: string;
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
    const inserted: RecordRow[] = await preparedQuery(
      this.dataSource,
      `INSERT INTO phx_notification_records
         (request_id, user_id, student_id, type, action_code, module_code, title, message, payload,
          hostname, channel_status, in_center)
       SELECT r.request_id, r.user_id, r.student_id, r.type, r.action_code, r.module_code, r.title,
              r.message, r.payload, r.hostname, r.channel_status, r.in_center
         FROM jsonb_to_recordset($1::jsonb)
           AS r(request_id uuid, user_id varchar, student_id bigint, type varchar,
                action_code varchar, module_code varchar, title text, message text, payload jsonb,
                hostname varchar, channel_status jsonb, in_center boolean)
       ON CONFLICT (request_id) DO NOTHING
       RETURNING ${RECORD_COLUMNS}`,
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
            `SELECT ${RECORD_COLUMNS} FROM phx_notification_records WHERE request_id = ANY($1::uuid[])`,
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

  /** Newest first, strictly older than `beforeSeq`: pages stay stable while new records arrive. */
  async listNewestFirst(
    userId: string,
    filter: NotificationCenterFilter & { beforeSeq?: string; limit: number },
  ): Promise<PhxNotificationRecordView[]> {
    const rows: RecordRow[] = await this.dataSource.query(
      `SELECT ${RECORD_COLUMNS}
         FROM phx_notification_records
        WHERE user_id = $1 AND in_center
          AND ($2::varchar IS NULL OR type = $2)
          AND ($3::bigint IS NULL OR student_id = $3)
          AND (NOT $4::boolean OR read_at IS NULL)
          AND ($5::bigint IS NULL OR seq < $5::bigint)
        ORDER BY seq DESC
        LIMIT $6`,
      [
        userId,
        filter.type ?? null,
        filter.studentId ?? null,
        filter.unreadOnly,
        filter.beforeSeq ?? null,
        filter.limit,
      ],
    );
    return rows.map(toView);
  }

  /** Unread records per Notification Center tab. */
  async countUnreadByType(userId: string): Promise<Record<string, number>> {
    const rows: { type: string; count: string }[] = await this.dataSource.query(
      `SELECT type, count(*) AS count
         FROM phx_notification_records
        WHERE user_id = $1 AND in_center AND read_at IS NULL
        GROUP BY type`,
      [userId],
    );
    return Object.fromEntries(rows.map((row) => [row.type, Number(row.count)]));
  }

  /** False when the user has no such record; marking twice is fine. (UPDATE inside a CTE: TypeORM answers a bare UPDATE with [rows, count].) */
  async markRead(userId: string, id: string): Promise<boolean> {
    const rows: { id: string }[] = await this.dataSource.query(
      `WITH marked AS (
         UPDATE phx_notification_records SET read_at = coalesce(read_at, now())
          WHERE id = $1 AND user_id = $2 AND in_center
          RETURNING id
       )
       SELECT id FROM marked`,
      [id, userId],
    );
    return rows.length > 0;
  }

  /**
   * Marks what the statement's snapshot sees (optionally one tab); a record committed while it
   * runs stays unread. Returns how many became read.
   */
  async markAllRead(userId: string, type?: string): Promise<number> {
    const rows: { id: string }[] = await this.dataSource.query(
      `WITH marked AS (
         UPDATE phx_notification_records SET read_at = now()
          WHERE user_id = $1 AND in_center AND read_at IS NULL
            AND ($2::varchar IS NULL OR type = $2)
          RETURNING id
       )
       SELECT id FROM marked`,
      [userId, type ?? null],
    );
    return rows.length;
  }
}
