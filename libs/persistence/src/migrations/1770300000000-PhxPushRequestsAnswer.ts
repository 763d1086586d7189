import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The Producer's first answer to each PHX request (`{ status, message }`), so a repeat of its
 * idempotency key gets exactly that answer whatever happened since (the Consumer completing it as
 * `not_delivered`, a setting changed). Nullable without a default: PostgreSQL adds it without
 * rewriting the table; requests stored before keep having theirs rebuilt from their channels.
 */
export class PhxPushRequestsAnswer1770300000000 implements MigrationInterface {
  name = 'PhxPushRequestsAnswer1770300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "phx_push_requests" ADD COLUMN "answer" jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "phx_push_requests" DROP COLUMN "answer"`);
  }
}
