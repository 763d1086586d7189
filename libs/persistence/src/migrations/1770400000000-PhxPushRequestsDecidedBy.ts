import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What chose each PHX request's channels (the action code's setting as it was, or the default for
 * a code without one), for the delivery log: the Consumer later overwrites `reason`, and a setting
 * may change after the decision. Nullable without a default: PostgreSQL adds it without rewriting
 * the table; requests stored before show null.
 */
export class PhxPushRequestsDecidedBy1770400000000 implements MigrationInterface {
  name = 'PhxPushRequestsDecidedBy1770400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "phx_push_requests" ADD COLUMN "decided_by" text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "phx_push_requests" DROP COLUMN "decided_by"`);
  }
}
