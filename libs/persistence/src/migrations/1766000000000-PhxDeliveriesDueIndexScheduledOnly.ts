import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `ix_phx_deliveries_due` keeps only channels with a due time. Indexing every open channel let
 * the planner, without statistics, AND it into per-request statements (`status = 'pending'` implies
 * the old predicate) and read every open channel of the backlog to update a few; with
 * `next_attempt_at IS NOT NULL` only the retry scheduler's `next_attempt_at <= now()` can use it.
 *
 * Built `CONCURRENTLY`, outside a transaction: on a busy `phx_deliveries` a plain build would
 * block every Producer and Consumer write until it finished. The new index is built under another
 * name and swapped in, so the scheduler is never without one.
 */
export class PhxDeliveriesDueIndexScheduledOnly1766000000000 implements MigrationInterface {
  name = 'PhxDeliveriesDueIndexScheduledOnly1766000000000';
  transaction = false;

  async up(queryRunner: QueryRunner): Promise<void> {
    // A build interrupted by a crash leaves an invalid index behind; a rerun starts over.
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS "ix_phx_deliveries_due_scheduled"`);
    await queryRunner.query(
      `CREATE INDEX CONCURRENTLY "ix_phx_deliveries_due_scheduled" ON "phx_deliveries" ("next_attempt_at") WHERE "status" IN ('pending', 'sending') AND "next_attempt_at" IS NOT NULL`,
    );
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS "ix_phx_deliveries_due"`);
    await queryRunner.query(
      `ALTER INDEX "ix_phx_deliveries_due_scheduled" RENAME TO "ix_phx_deliveries_due"`,
    );
  }

  // TypeORM reverts inside a transaction whatever `transaction` says, so no CONCURRENTLY here.
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_phx_deliveries_due"`);
    await queryRunner.query(
      `CREATE INDEX "ix_phx_deliveries_due" ON "phx_deliveries" ("next_attempt_at") WHERE "status" IN ('pending', 'sending')`,
    );
  }
}
