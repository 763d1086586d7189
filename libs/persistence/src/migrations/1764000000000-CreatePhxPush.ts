import { MigrationInterface, QueryRunner } from 'typeorm';

/** PHX push: settings per action code, user preferences, devices, requests, deliveries, records. */
export class CreatePhxPush1764000000000 implements MigrationInterface {
  name = 'CreatePhxPush1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "phx_notification_settings" (
        "action_code" varchar(128) NOT NULL,
        "enabled" boolean NOT NULL DEFAULT true,
        "channels" varchar(16)[] NOT NULL,
        "critical" boolean NOT NULL DEFAULT false,
        "description" text,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_phx_notification_settings" PRIMARY KEY ("action_code")
      )`);
    await queryRunner.query(`
      CREATE TABLE "phx_notification_preferences" (
        "user_id" varchar(128) NOT NULL,
        "action_code" varchar(128) NOT NULL,
        "channel" varchar(16) NOT NULL,
        "enabled" boolean NOT NULL,
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_phx_notification_preferences" PRIMARY KEY ("user_id", "action_code", "channel")
      )`);
    await queryRunner.query(`
      CREATE TABLE "phx_device_tokens" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "user_id" varchar(128) NOT NULL,
        "app" varchar(64) NOT NULL,
        "token" varchar(4096) NOT NULL,
        "platform" varchar(16),
        "active" boolean NOT NULL DEFAULT true,
        "deactivated_reason" text,
        "deactivated_at" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_phx_device_tokens" PRIMARY KEY ("id"),
        CONSTRAINT "uq_phx_device_tokens_app_token" UNIQUE ("app", "token")
      )`);
    await queryRunner.query(
      `CREATE INDEX "ix_phx_device_tokens_user_app_active" ON "phx_device_tokens" ("user_id", "app") WHERE "active"`,
    );
    await queryRunner.query(`
      CREATE TABLE "phx_push_requests" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "idempotency_key" varchar(128) NOT NULL,
        "user_id" varchar(128) NOT NULL,
        "student_id" bigint,
        "type" varchar(16) NOT NULL,
        "action_code" varchar(128) NOT NULL,
        "hostname" varchar(255) NOT NULL,
        "payload" jsonb NOT NULL,
        "status" varchar(24) NOT NULL,
        "reason" text,
        "handed_off_at" timestamptz,
        "completed_at" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_phx_push_requests" PRIMARY KEY ("id"),
        CONSTRAINT "uq_phx_push_requests_idempotency_key" UNIQUE ("idempotency_key")
      )`);
    await queryRunner.query(
      `CREATE INDEX "ix_phx_push_requests_not_handed_off" ON "phx_push_requests" ("created_at") WHERE "handed_off_at" IS NULL AND "status" = 'accepted'`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_phx_push_requests_user_created" ON "phx_push_requests" ("user_id", "created_at")`,
    );
    await queryRunner.query(`
      CREATE TABLE "phx_deliveries" (
        "request_id" uuid NOT NULL,
        "channel" varchar(16) NOT NULL,
        "status" varchar(16) NOT NULL,
        "reason" text,
        "attempts" integer NOT NULL DEFAULT 0,
        "detail" jsonb,
        "next_attempt_at" timestamptz,
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_phx_deliveries" PRIMARY KEY ("request_id", "channel"),
        CONSTRAINT "fk_phx_deliveries_request" FOREIGN KEY ("request_id")
          REFERENCES "phx_push_requests" ("id") ON DELETE CASCADE
      )`);
    await queryRunner.query(
      `CREATE INDEX "ix_phx_deliveries_due" ON "phx_deliveries" ("next_attempt_at") WHERE "status" IN ('pending', 'sending')`,
    );
    await queryRunner.query(`
      CREATE TABLE "phx_notification_records" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "seq" bigserial NOT NULL,
        "request_id" uuid NOT NULL,
        "user_id" varchar(128) NOT NULL,
        "student_id" bigint,
        "type" varchar(16) NOT NULL,
        "action_code" varchar(128) NOT NULL,
        "module_code" varchar(64),
        "title" text NOT NULL,
        "message" text NOT NULL,
        "payload" jsonb NOT NULL DEFAULT '{}',
        "hostname" varchar(255) NOT NULL,
        "channel_status" jsonb NOT NULL DEFAULT '{}',
        "in_center" boolean NOT NULL,
        "read_at" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_phx_notification_records" PRIMARY KEY ("id"),
        CONSTRAINT "uq_phx_notification_records_request" UNIQUE ("request_id"),
        CONSTRAINT "fk_phx_notification_records_request" FOREIGN KEY ("request_id")
          REFERENCES "phx_push_requests" ("id") ON DELETE CASCADE
      )`);
    await queryRunner.query(
      `CREATE INDEX "ix_phx_notification_records_center" ON "phx_notification_records" ("user_id", "type", "seq") WHERE "in_center"`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_phx_notification_records_student" ON "phx_notification_records" ("user_id", "student_id", "seq") WHERE "in_center"`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "phx_notification_records"`);
    await queryRunner.query(`DROP TABLE "phx_deliveries"`);
    await queryRunner.query(`DROP TABLE "phx_push_requests"`);
    await queryRunner.query(`DROP TABLE "phx_device_tokens"`);
    await queryRunner.query(`DROP TABLE "phx_notification_preferences"`);
    await queryRunner.query(`DROP TABLE "phx_notification_settings"`);
  }
}
