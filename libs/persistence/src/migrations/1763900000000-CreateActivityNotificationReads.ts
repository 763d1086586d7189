import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateActivityNotificationReads1763900000000 implements MigrationInterface {
  name = 'CreateActivityNotificationReads1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "activity_notification_reads" (
        "user_id" varchar(128) NOT NULL,
        "notification_id" uuid NOT NULL,
        "read_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_activity_notification_reads" PRIMARY KEY ("user_id", "notification_id"),
        CONSTRAINT "fk_activity_notification_reads_notification" FOREIGN KEY ("notification_id")
          REFERENCES "activity_notifications" ("id") ON DELETE CASCADE
      )`);
    await queryRunner.query(
      `CREATE INDEX "ix_activity_notification_reads_notification" ON "activity_notification_reads" ("notification_id")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "activity_notification_reads"`);
  }
}
