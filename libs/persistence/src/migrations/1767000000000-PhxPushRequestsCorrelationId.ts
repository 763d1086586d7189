import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The correlation id of the HTTP request that sent each PHX request, so that every later attempt
 * (the retry scheduler's, the outbox relay's hand-off) logs under it too. Nullable without a
 * default: PostgreSQL adds such a column without rewriting the table.
 */
export class PhxPushRequestsCorrelationId1767000000000 implements MigrationInterface {
  name = 'PhxPushRequestsCorrelationId1767000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "phx_push_requests" ADD COLUMN "correlation_id" varchar(128)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "phx_push_requests" DROP COLUMN "correlation_id"`);
  }
}
