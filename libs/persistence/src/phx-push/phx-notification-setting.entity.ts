import { Column, Entity, PrimaryColumn } from 'typeorm';
import { PhxChannel } from './phx-channel';

/** Whether and where notifications of one action code go (seed 004 §7). */
@Entity({ name: 'phx_notification_settings' })
export class PhxNotificationSettingEntity {
  @PrimaryColumn({
    name: 'action_code',
    type: 'varchar',
    length: 128,
    primaryKeyConstraintName: 'pk_phx_notification_settings',
  })
  actionCode!: string;

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  @Column({ type: 'varchar', length: 16, array: true })
  channels!: PhxChannel[];

  /** Critical codes ignore user mutes. */
  @Column({ type: 'boolean', default: false })
  critical!: boolean;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
