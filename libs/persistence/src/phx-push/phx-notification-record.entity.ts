import {
  Column,
  Entity,
  Generated,
  Index,
  JoinColumn,
  OneToOne,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import { PhxChannel, PhxDeliveryStatus } from './phx-channel';
import { PhxPushRequestEntity } from './phx-push-request.entity';

export type PhxChannelStatus = Partial<
  Record<PhxChannel, { status: PhxDeliveryStatus; reason: string | null }>
>;

/** The Notification Record of seed 004: what the user was told, and how each channel went. */
@Entity({ name: 'phx_notification_records' })
@Unique('uq_phx_notification_records_request', ['requestId'])
@Index('ix_phx_notification_records_center', ['userId', 'type', 'seq'], { where: '"in_center"' })
@Index('ix_phx_notification_records_student', ['userId', 'studentId', 'seq'], {
  where: '"in_center"',
})
@Index('ix_phx_notification_records_center_unread', ['userId', 'type', 'seq'], {
  where: '"in_center" AND "read_at" IS NULL',
})
@Index('ix_phx_notification_records_center_read', ['userId', 'type', 'seq'], {
  where: '"in_center" AND "read_at" IS NOT NULL',
})
export class PhxNotificationRecordEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_phx_notification_records' })
  id!: string;

  /** Insertion order: the Notification Center's cursor. bigint comes back as a string. */
  @Column({ type: 'bigint' })
  @Generated('increment')
  seq!: string;

  @Column({ name: 'request_id', type: 'uuid' })
  requestId!: string;

  @OneToOne(() => PhxPushRequestEntity, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'request_id',
    foreignKeyConstraintName: 'fk_phx_notification_records_request',
  })
  request?: PhxPushRequestEntity;

  @Column({ name: 'user_id', type: 'varchar', length: 128 })
  userId!: string;

  @Column({ name: 'student_id', type: 'bigint', nullable: true })
  studentId!: string | null;

  /** Notification Center tab: SYSTEM or TO_ME. */
  @Column({ type: 'varchar', length: 16 })
  type!: string;

  @Column({ name: 'action_code', type: 'varchar', length: 128 })
  actionCode!: string;

  @Column({ name: 'module_code', type: 'varchar', length: 64, nullable: true })
  moduleCode!: string | null;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text' })
  message!: string;

  /** Any JSON value, JSON null included (stored as `'null'::jsonb`, never SQL NULL). */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  payload!: unknown;

  @Column({ type: 'varchar', length: 255 })
  hostname!: string;

  @Column({ name: 'channel_status', type: 'jsonb', default: () => "'{}'" })
  channelStatus!: PhxChannelStatus;

  /** Shown in the Notification Center (the in-app channel went out). */
  @Column({ name: 'in_center', type: 'boolean' })
  inCenter!: boolean;

  @Column({ name: 'read_at', type: 'timestamptz', nullable: true })
  readAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
