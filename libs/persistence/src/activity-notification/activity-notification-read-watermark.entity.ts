import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One user has read every notification of one recipient stream (scope, id) up to
 * `readThroughSeq`: what "read all" writes, one row per stream however long its history.
 */
@Entity({ name: 'activity_notification_read_watermarks' })
export class ActivityNotificationReadWatermarkEntity {
  @PrimaryColumn({
    name: 'user_id',
    type: 'varchar',
    length: 128,
    primaryKeyConstraintName: 'pk_activity_notification_read_watermarks',
  })
  userId!: string;

  @PrimaryColumn({
    name: 'recipient_scope',
    type: 'varchar',
    length: 16,
    primaryKeyConstraintName: 'pk_activity_notification_read_watermarks',
  })
  recipientScope!: string;

  @PrimaryColumn({
    name: 'recipient_id',
    type: 'varchar',
    length: 128,
    primaryKeyConstraintName: 'pk_activity_notification_read_watermarks',
  })
  recipientId!: string;

  /** bigint comes back as a string. */
  @Column({ name: 'read_through_seq', type: 'bigint' })
  readThroughSeq!: string;

  /** The stream's row count when the watermark moved: the rows at or below `readThroughSeq`. */
  @Column({ name: 'read_through_count', type: 'bigint', default: 0 })
  readThroughCount!: string;

  /** How many items above `readThroughSeq` the user marked read one by one. */
  @Column({ name: 'marked_above', type: 'bigint', default: 0 })
  markedAbove!: string;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
