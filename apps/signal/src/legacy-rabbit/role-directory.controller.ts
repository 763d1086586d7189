import { Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import {
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
  IntersectionType,
} from '@nestjs/swagger';
import { LegacyRoleDirectoryRepository } from '@signal/persistence';
import { Matches } from 'class-validator';
import { ServiceAuth } from '../auth/api-key.guard';
import { ApiInvalidInput } from '../common/api-docs.decorators';
import { UserParams } from '../common/user.params';
import { LEGACY_ROLE } from './legacy-event.dto';

class RoleParams {
  @ApiProperty({
    description: '1-64 letters, digits, "_", ".", ":" or "-"',
    pattern: LEGACY_ROLE.source,
    example: 'TEACHER',
  })
  @Matches(LEGACY_ROLE, { message: 'role must be 1-64 letters, digits, "_", ".", ":" or "-"' })
  role!: string;
}

class RoleMemberParams extends IntersectionType(RoleParams, UserParams) {}

class RoleMembersResponse {
  @ApiProperty({ example: 'TEACHER' })
  role!: string;

  @ApiProperty({ type: [String], example: ['8652', '8653'] })
  members!: string[];
}

/** The role directory that resolves `targetRoles` of legacy V1 events (service API key). */
@ApiTags('admin: legacy role directory')
@ServiceAuth('admin')
@ApiInvalidInput('role or userId is invalid')
@Controller('admin/roles')
export class RoleDirectoryController {
  constructor(private readonly roles: LegacyRoleDirectoryRepository) {}

  @ApiOperation({
    summary: 'Add a user to a role',
    description: 'Idempotent. Legacy V1 events with targetRoles reach the members of each role.',
  })
  @ApiNoContentResponse({ description: 'The user is a member' })
  @Put(':role/members/:userId')
  @HttpCode(204)
  async addMember(@Param() { role, userId }: RoleMemberParams): Promise<void> {
    await this.roles.addMember(role, userId);
  }

  @ApiOperation({
    summary: 'Remove a user from a role',
    description: 'Idempotent: removing a non-member is not an error.',
  })
  @ApiNoContentResponse({ description: 'The user is not a member' })
  @Delete(':role/members/:userId')
  @HttpCode(204)
  async removeMember(@Param() { role, userId }: RoleMemberParams): Promise<void> {
    await this.roles.removeMember(role, userId);
  }

  @ApiOperation({ summary: 'The members of a role' })
  @ApiOkResponse({ type: RoleMembersResponse })
  @Get(':role/members')
  async members(@Param() { role }: RoleParams): Promise<RoleMembersResponse> {
    return { role, members: await this.roles.membersOf(role) };
  }
}
