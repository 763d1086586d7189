import { InboxOwner, NewActivityNotification } from '@signal/persistence';
import { aNotificationFor } from '../../support/activity-notifications';
import { DataSource } from 'typeorm';

/** The activity unread count as rows tell it: every row above each watermark and not marked. */
export async function activityUnreadByRows(db: DataSource, owner: InboxOwner): Promise<number> {
  const [row]: { count: string }[] = await db.query(
    `SELECT count(*) AS count
       FROM unnest($2::varchar[], $3::varchar[]) AS s(scope, id)
       LEFT JOIN activity_notification_read_watermarks w
         ON w.user_id = $1 AND w.recipient_scope = s.scope AND w.recipient_id = s.id
       JOIN activity_notifications n ON n.recipient_scope = s.scope AND n.recipient_id = s.id
      WHERE n.seq > coalesce(w.read_through_seq, 0)
        AND NOT EXISTS (SELECT 1 FROM activity_notification_reads r
                         WHERE r.user_id = $1 AND r.notification_id = n.id)`,
    [
      owner.userId,
      owner.recipients.map((recipient) => recipient.scope),
      owner.recipients.map((recipient) => recipient.id),
    ],
  );
  return Number(row.count);
}

/** The Notification Center's unread counts as records tell them, per tab. */
export async function centerUnreadByRows(
  db: DataSource,
  userId: string,
  tabs: string[],
): Promise<Record<string, number>> {
  const rows: { type: string; count: string }[] = await db.query(
    `SELECT t.type, count(r.id) AS count
       FROM unnest($2::varchar[]) AS t(type)
       LEFT JOIN phx_notification_center_read_watermarks w ON w.user_id = $1 AND w.type = t.type
       LEFT JOIN phx_notification_records r
         ON r.user_id = $1 AND r.type = t.type AND r.in_center AND r.read_at IS NULL
        AND r.seq > coalesce(w.read_through_seq, 0)
      GROUP BY t.type`,
    [userId, tabs],
  );
  return Object.fromEntries(rows.map((row) => [row.type, Number(row.count)]));
}

/** A row of stream (`scope`, `id`) whose content is its dedup key, so unread lists read as keys. */
export const streamRow = (
  dedupKey: string,
  recipientScope: NewActivityNotification['recipientScope'],
  recipientId: string,
): NewActivityNotification =>
  aNotificationFor(recipientId, {
    dedupKey,
    recipientScope,
    merchantId: recipientScope === 'merchant' ? recipientId : null,
    content: dedupKey,
  });
