import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One user holding one role of the legacy V1 role directory (`targetRoles` of seed 003). */
@Entity({ name: 'legacy_role_members' })
@Index('ix_legacy_role_members_user', ['userId'])
export class LegacyRoleMemberEntity {
  @PrimaryColumn({
    type: 'varchar',
    length: 64,
    primaryKeyConstraintName: 'pk_legacy_role_members',
  })
  role!: string;

  @PrimaryColumn({
    name: 'user_id',
    type: 'varchar',
    length: 128,
    primaryKeyConstraintName: 'pk_legacy_role_members',
  })
  userId!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
