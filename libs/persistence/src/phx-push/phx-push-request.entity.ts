import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { PhxRequestStatus } from './phx-channel';
import type { PhxProducerAnswer } from './phx-push-request.repository';

/** One `send()` the Producer accepted or turned down, with the payload as validated. */
@Entity({ name: 'phx_push_requests' })
@Unique('uq_phx_push_requests_idempotency_key', ['idempotencyKey'])
@Index('ix_phx_push_requests_not_handed_off', ['createdAt'], {
  where: `"handed_off_at" IS NULL AND "status" = 'accepted'`,
})
@Index('ix_phx_push_requests_user_created', ['userId', 'createdAt'])
export class PhxPushRequestEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_phx_push_requests' })
  id!: string;

  @Column({ name: 'idempotency_key', type: 'varchar', length: 128 })
  idempotencyKey!: string;

  @Column({ name: 'user_id', type: 'varchar', length: 128 })
  userId!: string;

  /** bigint comes back as a string. */
  @Column({ name: 'student_id', type: 'bigint', nullable: true })
  studentId!: string | null;

  @Column({ type: 'varchar', length: 16 })
  type!: string;

  @Column({ name: 'action_code', type: 'varchar', length: 128 })
  actionCode!: string;

  @Column({ type: 'varchar', length: 255 })
  hostname!: string;

  @Column({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  @Column({ type: 'varchar', length: 24 })
  status!: PhxRequestStatus;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  /** What chose the channels (the setting as it was, or the default); null on requests stored before it was kept. */
  @Column({ name: 'decided_by', type: 'text', nullable: true })
  decidedBy!: string | null;

  /** The sending HTTP request's, for the logs of every delivery attempt. */
  @Column({ name: 'correlation_id', type: 'varchar', length: 128, nullable: true })
  correlationId!: string | null;

  /** The Producer's first answer, which every repeat gets; null on requests stored before it was kept. */
  @Column({ type: 'jsonb', nullable: true })
  answer!: PhxProducerAnswer | null;

  /** When the Kafka handoff was acknowledged; null rows are re-sent by the outbox relay. */
  @Column({ name: 'handed_off_at', type: 'timestamptz', nullable: true })
  handedOffAt!: Date | null;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
