import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** A notification as one user sees it: with that user's read state. */
export interface ActivityNotificationView {
  id: string;
  /** Insertion order, as a decimal string (bigint). */
  seq: string;
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
  recipientScope: string;
  organizerId: string | null;
  merchantId: string | null;
  actorId: string;
  actor: { id: string; name: string; type: string };
  content: string;
  actionUrl: string | null;
  data: Record<string, unknown>;
  occurredAt: Date;
}

/** Whose inbox: the user, and every recipient id whose rows they see (user, organizer, merchants). */
export interface InboxOwner {
  userId: string;
  recipientIds: string[];
}

interface ViewRow {
  id: string;
  seq: string;
  recipient_id: string;
  type: string;
  organizer_id: string | null;
  content: string;
  action_url: string | null;
  data: Record<string, unknown>;
  created_at: Date;
  is_read: boolean;
}

const VIEW_COLUMNS = `n.id, n.seq, n.recipient_id, n.type, n.organizer_id, n.content, n.action_url, n.data,
  n.created_at, (r.user_id IS NOT NULL) AS is_read`;

function toView(row: ViewRow): ActivityNotificationView {
  return {
    id: row.id,
    seq: row.seq,
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

/** Every query on activity notifications and their per-user read state. */
@Injectable()
export class ActivityNotificationRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Inserts in one statement; rows whose (dedup key, recipient) exists already are skipped.
   * Returns only the rows that are new, in insertion order.
   */
  async insertIgnoringDuplicates(
    rows: NewActivityNotification[],
  ): Promise<ActivityNotificationView[]> {
    if (rows.length === 0) return [];
    // One JSON document rather than an array per column: pg escapes array elements in JavaScript.
    const inserted: ViewRow[] = await this.dataSource.query(
      `INSERT INTO activity_notifications
         (dedup_key, recipient_id, type, recipient_scope, organizer_id, merchant_id, actor_id, actor,
          content, action_url, data, occurred_at)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(
         dedup_key varchar, recipient_id varchar, type varchar, recipient_scope varchar,
         organizer_id varchar, merchant_id varchar, actor_id varchar, actor jsonb, content text,
         action_url text, data jsonb, occurred_at timestamptz)
       ON CONFLICT (dedup_key, recipient_id) DO NOTHING
       RETURNING id, seq, recipient_id, type, organizer_id, content, action_url, data, created_at, false AS is_read`,
      [
        JSON.stringify(
          rows.map((row) => ({
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
    return inserted.map(toView).sort((a, b) => compareSeq(a.seq, b.seq));
  }

  /** The seq of a notification the owner can see, or null. */
  async findSeq(owner: InboxOwner, id: string): Promise<string | null> {
    const rows: { seq: string }[] = await this.dataSource.query(
      `SELECT seq FROM activity_notifications WHERE id = $1 AND recipient_id = ANY($2)`,
      [id, owner.recipientIds],
    );
    return rows[0]?.seq ?? null;
  }

  /** Newest first, strictly older than `beforeSeq`: pages stay stable while new rows arrive. */
  async listNewestFirst(
    owner: InboxOwner,
    options: { beforeSeq?: string; limit: number; unreadOnly: boolean },
  ): Promise<ActivityNotificationView[]> {
    const rows: ViewRow[] = await this.dataSource.query(
      `SELECT ${VIEW_COLUMNS}
         FROM activity_notifications n
         LEFT JOIN activity_notification_reads r ON r.notification_id = n.id AND r.user_id = $1
        WHERE n.recipient_id = ANY($2)
          AND ($3::bigint IS NULL OR n.seq < $3::bigint)
          AND (NOT $4::boolean OR r.user_id IS NULL)
        ORDER BY n.seq DESC
        LIMIT $5`,
      [
        owner.userId,
        owner.recipientIds,
        options.beforeSeq ?? null,
        options.unreadOnly,
        options.limit,
      ],
    );
    return rows.map(toView);
  }

  /** Oldest first, strictly newer than `afterSeq`: what a reconnecting client missed. */
  async listAfter(
    owner: InboxOwner,
    options: { afterSeq: string; limit: number },
  ): Promise<ActivityNotificationView[]> {
    const rows: ViewRow[] = await this.dataSource.query(
      `SELECT ${VIEW_COLUMNS}
         FROM activity_notifications n
         LEFT JOIN activity_notification_reads r ON r.notification_id = n.id AND r.user_id = $1
        WHERE n.recipient_id = ANY($2) AND n.seq > $3::bigint
        ORDER BY n.seq ASC
        LIMIT $4`,
      [owner.userId, owner.recipientIds, options.afterSeq, options.limit],
    );
    return rows.map(toView);
  }

  async countUnread(owner: InboxOwner): Promise<number> {
    const [row]: { count: string }[] = await this.dataSource.query(
      `SELECT count(*) AS count
         FROM activity_notifications n
        WHERE n.recipient_id = ANY($2)
          AND NOT EXISTS (
            SELECT 1 FROM activity_notification_reads r WHERE r.notification_id = n.id AND r.user_id = $1)`,
      [owner.userId, owner.recipientIds],
    );
    return Number(row.count);
  }

  /** False when the owner cannot see the notification; marking twice is fine. */
  async markRead(owner: InboxOwner, id: string): Promise<boolean> {
    const [row]: { visible: string }[] = await this.dataSource.query(
      `WITH target AS (
         SELECT id FROM activity_notifications WHERE id = $3 AND recipient_id = ANY($2)
       ), marked AS (
         INSERT INTO activity_notification_reads (user_id, notification_id)
         SELECT $1, id FROM target
         ON CONFLICT DO NOTHING
       )
       SELECT count(*) AS visible FROM target`,
      [owner.userId, owner.recipientIds, id],
    );
    return Number(row.visible) > 0;
  }

  /**
   * Marks what the statement's snapshot sees; a notification committed while it runs stays
   * unread. Returns how many became read.
   */
  async markAllRead(owner: InboxOwner): Promise<number> {
    const [row]: { marked: string }[] = await this.dataSource.query(
      `WITH marked AS (
         INSERT INTO activity_notification_reads (user_id, notification_id)
         SELECT $1, n.id FROM activity_notifications n WHERE n.recipient_id = ANY($2)
         ON CONFLICT DO NOTHING
         RETURNING 1
       )
       SELECT count(*) AS marked FROM marked`,
      [owner.userId, owner.recipientIds],
    );
    return Number(row.marked);
  }
}

function compareSeq(a: string, b: string): number {
  const difference = BigInt(a) - BigInt(b);
  return difference === 0n ? 0 : difference < 0n ? -1 : 1;
}
