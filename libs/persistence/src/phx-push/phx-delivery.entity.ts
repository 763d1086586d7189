import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { PhxChannel, PhxDeliveryStatus } from './phx-channel';
import { PhxPushRequestEntity } from './phx-push-request.entity';

/** One channel of one request: the delivery log, and the guard against sending twice. */
@Entity({ name: 'phx_deliveries' })
// Only channels with a due time: what the retry scheduler looks for, and nothing else can use.
@Index('ix_phx_deliveries_due', ['nextAttemptAt'], {
  where: `"status" IN ('pending', 'sending') AND "next_attempt_at" IS NOT NULL`,
})
export class PhxDeliveryEntity {
  @PrimaryColumn({
    name: 'request_id',
    type: 'uuid',
    primaryKeyConstraintName: 'pk_phx_deliveries',
  })
  requestId!: string;

  @PrimaryColumn({ type: 'varchar', length: 16, primaryKeyConstraintName: 'pk_phx_deliveries' })
  channel!: PhxChannel;

  @ManyToOne(() => PhxPushRequestEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'request_id', foreignKeyConstraintName: 'fk_phx_deliveries_request' })
  request?: PhxPushRequestEntity;

  @Column({ type: 'varchar', length: 16 })
  status!: PhxDeliveryStatus;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  /** Channel specifics, e.g. per-token push results. */
  @Column({ type: 'jsonb', nullable: true })
  detail!: Record<string, unknown> | null;

  /**
   * When the channel may be tried: after the backoff of a `pending` one that failed, after the
   * lease of a `sending` one (its sender died). Null: a fresh channel, now.
   */
  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true })
  nextAttemptAt!: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
