import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes that let an inbox read each of its streams in seq order:
 * - activity: one stream per recipient (scope, id). User, organizer and merchant ids share one
 *   namespace, so the id alone would mix a user's rows with an organizer's of the same id;
 * - Notification Center: the unread records of a user's tab, so unread lists and counts above the
 *   tab's read watermark never visit the records read one by one.
 *
 * Built `CONCURRENTLY`, outside a transaction, as `1766000000000` does: a plain build would block
 * the Kafka worker's and the Consumer's inserts for as long as it runs on a large table.
 */
export class InboxStreamIndexes1770100000000 implements MigrationInterface {
  name = 'InboxStreamIndexes1770100000000';
  transaction = false;

  async up(queryRunner: QueryRunner): Promise<void> {
    // A build interrupted by a crash leaves an invalid index behind; a rerun starts over.
    await queryRunner.query(
      `DROP INDEX CONCURRENTLY IF EXISTS "ix_activity_notifications_recipient_scope_seq"`,
    );
    await queryRunner.query(
      `CREATE INDEX CONCURRENTLY "ix_activity_notifications_recipient_scope_seq" ON "activity_notifications" ("recipient_scope", "recipient_id", "seq")`,
    );
    await queryRunner.query(
      `DROP INDEX CONCURRENTLY IF EXISTS "ix_activity_notifications_recipient_seq"`,
    );
    await queryRunner.query(
      `DROP INDEX CONCURRENTLY IF EXISTS "ix_phx_notification_records_center_unread"`,
    );
    await queryRunner.query(
      `CREATE INDEX CONCURRENTLY "ix_phx_notification_records_center_unread" ON "phx_notification_records" ("user_id", "type", "seq") WHERE "in_center" AND "read_at" IS NULL`,
    );
  }

  // TypeORM reverts inside a transaction whatever `transaction` says, so no CONCURRENTLY here.
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_phx_notification_records_center_unread"`);
    await queryRunner.query(
      `CREATE INDEX "ix_activity_notifications_recipient_seq" ON "activity_notifications" ("recipient_id", "seq")`,
    );
    await queryRunner.query(`DROP INDEX "ix_activity_notifications_recipient_scope_seq"`);
  }
}
