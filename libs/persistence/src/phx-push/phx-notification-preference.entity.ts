import { Column, Entity, PrimaryColumn } from 'typeorm';
import { PhxChannel } from './phx-channel';

/** A user's own choice for one action code and channel; no row = the setting's default (on). */
@Entity({ name: 'phx_notification_preferences' })
export class PhxNotificationPreferenceEntity {
  @PrimaryColumn({
    name: 'user_id',
    type: 'varchar',
    length: 128,
    primaryKeyConstraintName: 'pk_phx_notification_preferences',
  })
  userId!: string;

  @PrimaryColumn({
    name: 'action_code',
    type: 'varchar',
    length: 128,
    primaryKeyConstraintName: 'pk_phx_notification_preferences',
  })
  actionCode!: string;

  @PrimaryColumn({
    type: 'varchar',
    length: 16,
    primaryKeyConstraintName: 'pk_phx_notification_preferences',
  })
  channel!: PhxChannel;

  @Column({ type: 'boolean' })
  enabled!: boolean;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
