import { Column, Entity, Generated, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

/**
 * One activity notification for one recipient: a user, an organizer or a merchant. Their ids share
 * one namespace, so a recipient is (`recipientScope`, `recipientId`), never the id alone.
 */
@Entity({ name: 'activity_notifications' })
@Unique('uq_activity_notifications_dedup_key_recipient', ['dedupKey', 'recipientId'])
@Index('ix_activity_notifications_recipient_scope_seq', ['recipientScope', 'recipientId', 'seq'])
export class ActivityNotificationEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_activity_notifications' })
  id!: string;

  /** Insertion order; the cursor of the inbox and of the replay. bigint comes back as a string. */
  @Column({ type: 'bigint' })
  @Generated('increment')
  seq!: string;

  @Column({ name: 'dedup_key', type: 'varchar', length: 128 })
  dedupKey!: string;

  @Column({ name: 'recipient_id', type: 'varchar', length: 128 })
  recipientId!: string;

  @Column({ type: 'varchar', length: 64 })
  type!: string;

  /** `users`, `org` or `merchant`: the message's `recipientScope`. */
  @Column({ name: 'recipient_scope', type: 'varchar', length: 16 })
  recipientScope!: string;

  @Column({ name: 'organizer_id', type: 'varchar', length: 128, nullable: true })
  organizerId!: string | null;

  @Column({ name: 'merchant_id', type: 'varchar', length: 128, nullable: true })
  merchantId!: string | null;

  @Column({ name: 'actor_id', type: 'varchar', length: 128 })
  actorId!: string;

  @Column({ type: 'jsonb' })
  actor!: { id: string; name: string; type: string };

  @Column({ type: 'text' })
  content!: string;

  @Column({ name: 'action_url', type: 'text', nullable: true })
  actionUrl!: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  data!: Record<string, unknown>;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
