import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { LegacyRoleMemberEntity } from './legacy-role-member.entity';

/** The role directory that resolves `targetRoles` of legacy V1 events to user ids. */
@Injectable()
export class LegacyRoleDirectoryRepository {
  constructor(
    @InjectRepository(LegacyRoleMemberEntity)
    private readonly members: Repository<LegacyRoleMemberEntity>,
  ) {}

  /** Idempotent: adding a member again changes nothing. */
  async addMember(role: string, userId: string): Promise<void> {
    // The primary key (role, user id) is the table's one unique constraint.
    await this.members.createQueryBuilder().insert().values({ role, userId }).orIgnore().execute();
  }

  /** Idempotent: removing a non-member changes nothing. */
  async removeMember(role: string, userId: string): Promise<void> {
    await this.members.delete({ role, userId });
  }

  async membersOf(role: string): Promise<string[]> {
    return this.distinctMembers([role]);
  }

  /** Every user holding at least one of `roles`, once each, in user id order. */
  async distinctMembers(roles: string[]): Promise<string[]> {
    if (roles.length === 0) return [];
    const rows = await this.members
      .createQueryBuilder('member')
      .select('member.userId', 'userId')
      .distinct()
      .where('member.role = ANY(:roles)', { roles })
      .orderBy('member.userId')
      .getRawMany<{ userId: string }>();
    return rows.map((row) => row.userId);
  }
}
