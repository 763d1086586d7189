import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LegacyEventRepository } from './legacy-event.repository';
import { LegacyRoleDirectoryRepository } from './legacy-role-directory.repository';
import { LegacyRoleMemberEntity } from './legacy-role-member.entity';

/**
 * What the legacy V1 adapter stores: its role directory (an entity repository) and the events it
 * processed or holds until due (raw SQL: dedup and claims with a lease).
 */
@Module({
  imports: [TypeOrmModule.forFeature([LegacyRoleMemberEntity])],
  providers: [LegacyRoleDirectoryRepository, LegacyEventRepository],
  exports: [LegacyRoleDirectoryRepository, LegacyEventRepository],
})
export class LegacyPersistenceModule {}
