import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One user's Notification Center tab at its newest record: how many in-center records it has and
 * the newest seq. Kept by a trigger on `phx_notification_records`, in the inserting transaction;
 * unread counts and "read all" read it instead of counting the tab's records.
 */
@Entity({ name: 'phx_notification_center_heads' })
export class PhxNotificationCenterHeadEntity {
  @PrimaryColumn({
    name: 'user_id',
    type: 'varchar',
    length: 128,
    primaryKeyConstraintName: 'pk_phx_notification_center_heads',
  })
  userId!: string;

  /** Notification Center tab: SYSTEM or TO_ME. */
  @PrimaryColumn({
    name: 'type',
    type: 'varchar',
    length: 16,
    primaryKeyConstraintName: 'pk_phx_notification_center_heads',
  })
  type!: string;

  /** bigint comes back as a string. */
  @Column({ name: 'row_count', type: 'bigint', default: 0 })
  rowCount!: string;

  @Column({ name: 'last_seq', type: 'bigint', default: 0 })
  lastSeq!: string;
}
