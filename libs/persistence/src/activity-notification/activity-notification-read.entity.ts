import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ActivityNotificationEntity } from './activity-notification.entity';

/**
 * That one user has read one activity notification, also one addressed to their organizer or
 * merchant: a per-item mark above the user's watermark of that recipient stream. It carries its
 * notification's stream and seq, so unread counts subtract marks without reading notifications.
 */
@Entity({ name: 'activity_notification_reads' })
@Index('ix_activity_notification_reads_notification', ['notificationId'])
@Index('ix_activity_notification_reads_user_recipient_seq', [
  'userId',
  'recipientScope',
  'recipientId',
  'seq',
])
export class ActivityNotificationReadEntity {
  @PrimaryColumn({
    name: 'user_id',
    type: 'varchar',
    length: 128,
    primaryKeyConstraintName: 'pk_activity_notification_reads',
  })
  userId!: string;

  @PrimaryColumn({
    name: 'notification_id',
    type: 'uuid',
    primaryKeyConstraintName: 'pk_activity_notification_reads',
  })
  notificationId!: string;

  @ManyToOne(() => ActivityNotificationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'notification_id',
    foreignKeyConstraintName: 'fk_activity_notification_reads_notification',
  })
  notification?: ActivityNotificationEntity;

  @Column({ name: 'recipient_scope', type: 'varchar', length: 16 })
  recipientScope!: string;

  @Column({ name: 'recipient_id', type: 'varchar', length: 128 })
  recipientId!: string;

  /** The notification's seq. bigint comes back as a string. */
  @Column({ type: 'bigint' })
  seq!: string;

  @Column({ name: 'read_at', type: 'timestamptz', default: () => 'now()' })
  readAt!: Date;
}
