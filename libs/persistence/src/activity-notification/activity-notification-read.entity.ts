import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ActivityNotificationEntity } from './activity-notification.entity';

/** That one user has read one activity notification, also one addressed to their organizer or merchant. */
@Entity({ name: 'activity_notification_reads' })
@Index('ix_activity_notification_reads_notification', ['notificationId'])
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

  @Column({ name: 'read_at', type: 'timestamptz', default: () => 'now()' })
  readAt!: Date;
}
