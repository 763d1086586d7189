import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** The role directory that resolves `targetRoles` of legacy V1 events to user ids. */
@Injectable()
export class LegacyRoleDirectoryRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Idempotent: adding a member again changes nothing. */
  async addMember(role: string, userId: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO legacy_role_members (role, user_id) VALUES ($1, $2)
       ON CONFLICT ON CONSTRAINT pk_legacy_role_members DO NOTHING`,
      [role, userId],
    );
  }

  /** Idempotent: removing a non-member changes nothing. */
  async removeMember(role: string, userId: string): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM legacy_role_members WHERE role = $1 AND user_id = $2`,
      [role, userId],
    );
  }

  async membersOf(role: string): Promise<string[]> {
    return this.distinctMembers([role]);
  }

  /** Every user holding at least one of `roles`, once each, in user id order. */
  async distinctMembers(roles: string[]): Promise<string[]> {
    if (roles.length === 0) return [];
    const rows: { user_id: string }[] = await this.dataSource.query(
      `SELECT DISTINCT user_id FROM legacy_role_members WHERE role = ANY($1::varchar[]) ORDER BY user_id`,
      [roles],
    );
    return rows.map((row) => row.user_id);
  }
}
