import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `ix_phx_deliveries_due` keeps only channels with a due time. Indexing every open channel let
 * the planner, without statistics, AND it into per-request statements (`status = 'pending'` implies
 * the old predicate) and read every open channel of the backlog to update a few; with
 * `next_attempt_at IS NOT NULL` only the retry scheduler's `next_attempt_at <= now()` can use it.
 */
export class PhxDeliveriesDueIndexScheduledOnly1766000000000 implements MigrationInterface {
  name = 'PhxDeliveriesDueIndexScheduledOnly1766000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_phx_deliveries_due"`);
    await queryRunner.query(
      `CREATE INDEX "ix_phx_deliveries_due" ON "phx_deliveries" ("next_attempt_at") WHERE "status" IN ('pending', 'sending') AND "next_attempt_at" IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_phx_deliveries_due"`);
    await queryRunner.query(
      `CREATE INDEX "ix_phx_deliveries_due" ON "phx_deliveries" ("next_attempt_at") WHERE "status" IN ('pending', 'sending')`,
    );
  }
}
