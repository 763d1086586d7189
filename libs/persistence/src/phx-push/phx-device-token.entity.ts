import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** A push token of one app on one device of a user; deactivated when the provider calls it dead. */
@Entity({ name: 'phx_device_tokens' })
@Unique('uq_phx_device_tokens_app_token', ['app', 'token'])
@Index('ix_phx_device_tokens_user_app_active', ['userId', 'app'], { where: '"active"' })
export class PhxDeviceTokenEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_phx_device_tokens' })
  id!: string;

  @Column({ name: 'user_id', type: 'varchar', length: 128 })
  userId!: string;

  @Column({ type: 'varchar', length: 64 })
  app!: string;

  @Column({ type: 'varchar', length: 4096 })
  token!: string;

  @Column({ type: 'varchar', length: 16, nullable: true })
  platform!: string | null;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @Column({ name: 'deactivated_reason', type: 'text', nullable: true })
  deactivatedReason!: string | null;

  @Column({ name: 'deactivated_at', type: 'timestamptz', nullable: true })
  deactivatedAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
