import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lets the retention job find processed legacy events by age without reading the whole table.
 * Built `CONCURRENTLY` (outside a transaction) so that the adapter keeps recording events
 * meanwhile; a build interrupted by a crash leaves an invalid index, dropped on the rerun.
 */
export class LegacyProcessedEventsAgeIndex1769000000000 implements MigrationInterface {
  name = 'LegacyProcessedEventsAgeIndex1769000000000';
  transaction = false;

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DROP INDEX CONCURRENTLY IF EXISTS "ix_legacy_processed_events_processed_at"`,
    );
    await queryRunner.query(
      `CREATE INDEX CONCURRENTLY "ix_legacy_processed_events_processed_at" ON "legacy_processed_events" ("processed_at")`,
    );
  }

  // TypeORM reverts inside a transaction whatever `transaction` says, so no CONCURRENTLY here.
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_legacy_processed_events_processed_at"`);
  }
}
