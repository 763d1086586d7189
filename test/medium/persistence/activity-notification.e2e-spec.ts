import { ActivityNotificationEntity } from '@signal/persistence';
import { signalMigrations } from '@signal/persistence/migrations';
import { runMigrations } from '@signal/persistence';
import { createTestSchema, TestSchema } from '@signal/persistence/testing/test-schema';
import { waitFor } from '../../support/wait-for';
import { Repository } from 'typeorm';

function aNotification(
  overrides: Partial<ActivityNotificationEntity> = {},
): ActivityNotificationEntity {
  return Object.assign(new ActivityNotificationEntity(), {
    dedupKey: 'evt-1',
    recipientId: 'org-1',
    type: 'PAYMENT_SUCCESS',
    recipientScope: 'org',
    organizerId: 'org-1',
    merchantId: null,
    actorId: 'user-9',
    actor: { id: 'user-9', name: 'Lan', type: 'user' },
    content: 'Lan đã thanh toán thành công Học phí',
    actionUrl: '/payments/p-1',
    data: { payment: { subject: 'Học phí' } },
    occurredAt: new Date('2026-11-22T08:00:00.000Z'),
    ...overrides,
  });
}

describe('persistence: activity notifications on real PostgreSQL', () => {
  let db: TestSchema;
  let sut: Repository<ActivityNotificationEntity>;

  beforeAll(async () => {
    db = await createTestSchema('persistence');
    sut = db.dataSource.getRepository(ActivityNotificationEntity);
  });

  afterAll(async () => {
    await db.drop();
  });

  it('should have applied the migrations into the test schema only', async () => {
    const applied: { name: string }[] = await db.dataSource.query(
      `SELECT name FROM signal_migrations ORDER BY id`,
    );
    expect(applied.map((row) => row.name)).toEqual(
      signalMigrations.map((migration) => migration.name),
    );
    expect(applied.length).toBeGreaterThanOrEqual(2);
    const [{ schema }] = await db.dataSource.query(
      `SELECT table_schema AS schema FROM information_schema.tables WHERE table_name = 'activity_notifications' AND table_schema = $1`,
      [db.options.schema],
    );
    expect(schema).toBe(db.options.schema);
  });

  it('should have entities that match the migrations exactly (no drift)', async () => {
    const pending = await db.dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('should write rows and read them back with generated id, seq and timestamps', async () => {
    const saved = await sut.save(aNotification({ dedupKey: 'rw-1' }));
    const read = await sut.findOneByOrFail({ id: saved.id });

    expect(read.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(read.seq)).toBeGreaterThan(0);
    expect(read.createdAt).toBeInstanceOf(Date);
    expect(read.occurredAt.toISOString()).toBe('2026-11-22T08:00:00.000Z');
    expect(read.data).toEqual({ payment: { subject: 'Học phí' } });
    expect(read.content).toBe('Lan đã thanh toán thành công Học phí');
  });

  it('should keep one row per (dedup key, recipient)', async () => {
    await sut.save(aNotification({ dedupKey: 'dup-1', recipientId: 'u-1' }));
    await expect(
      sut.save(aNotification({ dedupKey: 'dup-1', recipientId: 'u-1' })),
    ).rejects.toThrow(/uq_activity_notifications_dedup_key_recipient/);

    const inserted: { recipient_id: string }[] = await db.dataSource.query(
      `INSERT INTO activity_notifications
         (dedup_key, recipient_id, type, recipient_scope, actor_id, actor, content, occurred_at)
       SELECT 'dup-1', r, 'PAYMENT_SUCCESS', 'users', 'a-1', '{}', 'c', now() FROM unnest($1::text[]) AS r
       ON CONFLICT (dedup_key, recipient_id) DO NOTHING
       RETURNING recipient_id`,
      [['u-1', 'u-2']],
    );

    expect(inserted.map((row) => row.recipient_id)).toEqual(['u-2']);
    expect(await sut.countBy({ dedupKey: 'dup-1' })).toBe(2);
  });

  it('should isolate one test schema from another', async () => {
    const other = await createTestSchema('persistence-other');
    try {
      await other.dataSource.getRepository(ActivityNotificationEntity).save(aNotification());
      expect(await other.dataSource.getRepository(ActivityNotificationEntity).count()).toBe(1);
      expect(await sut.countBy({ dedupKey: 'evt-1' })).toBe(0);
    } finally {
      await other.drop();
    }
  });

  it('should revert every migration with a working down', async () => {
    const scratch = await createTestSchema('persistence-down');
    try {
      for (let left = scratch.dataSource.migrations.length; left > 0; left -= 1) {
        await scratch.dataSource.undoLastMigration();
      }
      // Only TypeORM's own bookkeeping table may remain.
      const tables: { table_name: string }[] = await scratch.dataSource.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = $1`,
        [scratch.options.schema],
      );
      expect(tables.map((t) => t.table_name)).toEqual(['signal_migrations']);
    } finally {
      await scratch.drop();
    }
  });

  it('should build the PHX due index without blocking writers, and leave it valid', async () => {
    const scratch = await createTestSchema('persistence-due-index');
    const reader = scratch.dataSource.createQueryRunner();
    const writer = scratch.dataSource.createQueryRunner();
    let migrating: Promise<string[]> | undefined;
    try {
      // Back to before the due-index migration, and everything after it.
      const from = signalMigrations.findIndex(
        (migration) => migration.name === 'PhxDeliveriesDueIndexScheduledOnly1766000000000',
      );
      for (let n = from; n < signalMigrations.length; n += 1) {
        await scratch.dataSource.undoLastMigration();
      }
      // An open writer: any index build has to wait for it to finish.
      await reader.startTransaction();
      await reader.query(`UPDATE phx_deliveries SET status = status WHERE false`);
      migrating = runMigrations(scratch.options);
      await waitFor('the index build to wait for the open writer', async () => {
        const waiting: unknown[] = await scratch.dataSource.query(
          `SELECT 1 FROM pg_stat_activity WHERE query ~ '^(CREATE|DROP) INDEX' AND wait_event_type = 'Lock'`,
        );
        return waiting.length > 0 ? true : undefined;
      });
      // A plain CREATE INDEX queues a SHARE lock that every later writer waits behind.
      await writer.query(`SET lock_timeout = '3s'`);
      await writer.query(`UPDATE phx_deliveries SET status = status WHERE false`);
      await reader.commitTransaction();

      await expect(migrating).resolves.toEqual(
        signalMigrations.slice(from).map((migration) => migration.name),
      );
      const [index]: { definition: string; valid: boolean }[] = await scratch.dataSource.query(
        `SELECT pg_get_indexdef(i.indexrelid) AS definition, i.indisvalid AS valid
           FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
           JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = $1 AND c.relname = 'ix_phx_deliveries_due'`,
        [scratch.options.schema],
      );
      expect(index.valid).toBe(true);
      expect(index.definition).toContain('next_attempt_at IS NOT NULL');
    } finally {
      if (reader.isTransactionActive) await reader.rollbackTransaction();
      await migrating?.catch(() => undefined);
      await reader.release();
      await writer.release();
      await scratch.drop();
    }
  });
});
