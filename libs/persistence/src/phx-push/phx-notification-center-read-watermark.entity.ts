import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One user has read every Notification Center record of one tab up to `readThroughSeq`: what
 * "read all" writes. A record's own `read_at` marks it read above the watermark.
 */
@Entity({ name: 'phx_notification_center_read_watermarks' })
export class PhxNotificationCenterReadWatermarkEntity {
  @PrimaryColumn({
    name: 'user_id',
    type: 'varchar',
    length: 128,
    primaryKeyConstraintName: 'pk_phx_notification_center_read_watermarks',
  })
  userId!: string;

  /** Notification Center tab: SYSTEM or TO_ME. */
  @PrimaryColumn({
    type: 'varchar',
    length: 16,
    primaryKeyConstraintName: 'pk_phx_notification_center_read_watermarks',
  })
  type!: string;

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
