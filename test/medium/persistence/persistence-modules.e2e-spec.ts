import { Injectable, Module, Type } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import {
  ActivityNotificationRepository,
  ActivityPersistenceModule,
  LegacyPersistenceModule,
  LegacyRoleDirectoryRepository,
  PersistenceModule,
  PhxNotificationSettingRepository,
  PhxPersistenceModule,
} from '@signal/persistence';
import { createTestSchema, TestSchema } from '@signal/persistence/testing/test-schema';
import { DataSource } from 'typeorm';

@Injectable()
class NeedsActivityNotifications {
  constructor(readonly notifications: ActivityNotificationRepository) {}
}

/** A feature that imports the PHX tables only, yet asks for activity notifications. */
@Module({ imports: [PhxPersistenceModule], providers: [NeedsActivityNotifications] })
class PhxOnlyFeature {}

@Injectable()
class UsesRoleDirectory {
  constructor(readonly roles: LegacyRoleDirectoryRepository) {}
}

@Module({ imports: [LegacyPersistenceModule], providers: [UsesRoleDirectory] })
class LegacyFeature {}

describe('PersistenceModule and the per-feature persistence modules (real PostgreSQL)', () => {
  let db: TestSchema;

  beforeAll(async () => {
    db = await createTestSchema('persistence_modules');
  });

  afterAll(async () => {
    await db.drop();
  });

  /** The root connection on the test's schema, and `features`. */
  const withConnection = (...features: Type[]) =>
    Test.createTestingModule({
      imports: [PersistenceModule.forRootAsync({ useFactory: () => db.options }), ...features],
    });

  it('should give a feature the repositories of the persistence module it imports', async () => {
    const sut = await withConnection(
      ActivityPersistenceModule,
      PhxPersistenceModule,
      LegacyFeature,
    ).compile();
    try {
      const owner = { userId: 'u-1', recipients: [{ scope: 'users' as const, id: 'u-1' }] };
      expect(await sut.get(ActivityNotificationRepository).countUnread(owner)).toBe(0);
      expect(await sut.get(PhxNotificationSettingRepository).list()).toEqual([]);
      expect(sut.get(UsesRoleDirectory).roles).toBe(sut.get(LegacyRoleDirectoryRepository));
      // The one connection, on the configured schema.
      expect(sut.get(DataSource).options).toMatchObject({ schema: db.options.schema });
    } finally {
      await sut.close();
    }
  });

  it("should refuse a feature another feature's repository it did not import", async () => {
    // Preview resolves the graph without instantiating it: a compile that fails opens no pool.
    const sut = withConnection(PhxOnlyFeature).compile({ preview: true });

    await expect(sut).rejects.toThrow(/ActivityNotificationRepository/);
  });

  describe(LegacyRoleDirectoryRepository.name, () => {
    let app: TestingModule;
    let sut: LegacyRoleDirectoryRepository;

    beforeAll(async () => {
      app = await withConnection(LegacyFeature).compile();
      sut = app.get(LegacyRoleDirectoryRepository);
    });

    afterAll(async () => {
      await app.close();
    });

    it('should add and remove members idempotently', async () => {
      await sut.addMember('TEACHER', 'u-2');
      await sut.addMember('TEACHER', 'u-2');
      await sut.addMember('TEACHER', 'u-1');
      expect(await sut.membersOf('TEACHER')).toEqual(['u-1', 'u-2']);

      await sut.removeMember('TEACHER', 'u-2');
      await sut.removeMember('TEACHER', 'u-2');
      expect(await sut.membersOf('TEACHER')).toEqual(['u-1']);
    });

    it('should resolve several roles to each member once, in user id order', async () => {
      await sut.addMember('STAFF', 'u-9');
      await sut.addMember('STAFF', 'u-3');
      await sut.addMember('PARENT', 'u-3');

      expect(await sut.distinctMembers(['STAFF', 'PARENT', 'NOBODY'])).toEqual(['u-3', 'u-9']);
      expect(await sut.distinctMembers([])).toEqual([]);
    });
  });
});
