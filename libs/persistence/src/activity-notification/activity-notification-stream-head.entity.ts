import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One recipient stream (scope, id) at its newest row: how many rows it has and the newest seq.
 * Kept by a trigger on `activity_notifications`, in the inserting transaction; unread counts and
 * "read all" read it instead of counting the stream's rows.
 */
@Entity({ name: 'activity_notification_stream_heads' })
export class ActivityNotificationStreamHeadEntity {
  @PrimaryColumn({
    name: 'recipient_scope',
    type: 'varchar',
    length: 16,
    primaryKeyConstraintName: 'pk_activity_notification_stream_heads',
  })
  recipientScope!: string;

  @PrimaryColumn({
    name: 'recipient_id',
    type: 'varchar',
    length: 128,
    primaryKeyConstraintName: 'pk_activity_notification_stream_heads',
  })
  recipientId!: string;

  /** bigint comes back as a string. */
  @Column({ name: 'row_count', type: 'bigint', default: 0 })
  rowCount!: string;

  @Column({ name: 'last_seq', type: 'bigint', default: 0 })
  lastSeq!: string;
}
