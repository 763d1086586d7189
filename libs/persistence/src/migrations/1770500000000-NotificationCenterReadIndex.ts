import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The Notification Center's records marked read one by one, per tab in seq order: unread counts
 * subtract those above the tab's watermark (few) instead of counting the unread backlog.
 *
 * Built `CONCURRENTLY`, outside a transaction: on a busy `phx_notification_records` a plain build
 * would block every Consumer write until it finished.
 */
export class NotificationCenterReadIndex1770500000000 implements MigrationInterface {
  name = 'NotificationCenterReadIndex1770500000000';
  transaction = false;

  async up(queryRunner: QueryRunner): Promise<void> {
    // A build interrupted by a crash leaves an invalid index behind; a rerun starts over.
    await queryRunner.query(
      `DROP INDEX CONCURRENTLY IF EXISTS "ix_phx_notification_records_center_read"`,
    );
    await queryRunner.query(
      `CREATE INDEX CONCURRENTLY "ix_phx_notification_records_center_read" ON "phx_notification_records" ("user_id", "type", "seq") WHERE "in_center" AND "read_at" IS NOT NULL`,
    );
  }

  // TypeORM reverts inside a transaction whatever `transaction` says, so no CONCURRENTLY here.
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_phx_notification_records_center_read"`);
  }
}
