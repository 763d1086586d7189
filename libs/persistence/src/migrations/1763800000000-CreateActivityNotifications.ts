import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateActivityNotifications1763800000000 implements MigrationInterface {
  name = 'CreateActivityNotifications1763800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "activity_notifications" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "seq" bigserial NOT NULL,
        "dedup_key" varchar(128) NOT NULL,
        "recipient_id" varchar(128) NOT NULL,
        "type" varchar(64) NOT NULL,
        "recipient_scope" varchar(16) NOT NULL,
        "organizer_id" varchar(128),
        "merchant_id" varchar(128),
        "actor_id" varchar(128) NOT NULL,
        "actor" jsonb NOT NULL,
        "content" text NOT NULL,
        "action_url" text,
        "data" jsonb NOT NULL DEFAULT '{}',
        "occurred_at" timestamptz NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_activity_notifications" PRIMARY KEY ("id"),
        CONSTRAINT "uq_activity_notifications_dedup_key_recipient" UNIQUE ("dedup_key", "recipient_id")
      )`);
    await queryRunner.query(
      `CREATE INDEX "ix_activity_notifications_recipient_seq" ON "activity_notifications" ("recipient_id", "seq")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_activity_notifications_recipient_seq"`);
    await queryRunner.query(`DROP TABLE "activity_notifications"`);
  }
}
