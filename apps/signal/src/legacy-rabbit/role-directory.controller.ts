import { Controller, Delete, Get, HttpCode, Param, Put, UseGuards } from '@nestjs/common';
import { LegacyRoleDirectoryRepository } from '@signal/persistence';
import { Matches } from 'class-validator';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { LEGACY_ROLE } from './legacy-event.dto';

class RoleParams {
  @Matches(LEGACY_ROLE, { message: 'role must be 1-64 letters, digits, "_", ".", ":" or "-"' })
  role!: string;
}

class RoleMemberParams extends RoleParams {
  @Matches(/^[^\s/]{1,128}$/, {
    message: 'userId must be 1-128 characters without whitespace or "/"',
  })
  userId!: string;
}

/** The role directory that resolves `targetRoles` of legacy V1 events (service API key). */
@Controller('admin/roles')
@UseGuards(ApiKeyGuard)
export class RoleDirectoryController {
  constructor(private readonly roles: LegacyRoleDirectoryRepository) {}

  /** Idempotent. */
  @Put(':role/members/:userId')
  @HttpCode(204)
  async addMember(@Param() { role, userId }: RoleMemberParams): Promise<void> {
    await this.roles.addMember(role, userId);
  }

  /** Idempotent: removing a non-member is not an error. */
  @Delete(':role/members/:userId')
  @HttpCode(204)
  async removeMember(@Param() { role, userId }: RoleMemberParams): Promise<void> {
    await this.roles.removeMember(role, userId);
  }

  @Get(':role/members')
  async members(@Param() { role }: RoleParams): Promise<{ role: string; members: string[] }> {
    return { role, members: await this.roles.membersOf(role) };
  }
}
