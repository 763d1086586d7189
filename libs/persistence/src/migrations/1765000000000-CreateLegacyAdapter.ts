import { MigrationInterface, QueryRunner } from 'typeorm';

/** Legacy V1 adapter (RabbitMQ): role directory, processed events, scheduled events. */
export class CreateLegacyAdapter1765000000000 implements MigrationInterface {
  name = 'CreateLegacyAdapter1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "legacy_role_members" (
        "role" varchar(64) NOT NULL,
        "user_id" varchar(128) NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_legacy_role_members" PRIMARY KEY ("role", "user_id")
      )`);
    await queryRunner.query(
      `CREATE INDEX "ix_legacy_role_members_user" ON "legacy_role_members" ("user_id")`,
    );
    await queryRunner.query(`
      CREATE TABLE "legacy_processed_events" (
        "event_id" varchar(128) NOT NULL,
        "event_type" varchar(128) NOT NULL,
        "recipients" integer NOT NULL,
        "processed_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_legacy_processed_events" PRIMARY KEY ("event_id")
      )`);
    await queryRunner.query(`
      CREATE TABLE "legacy_scheduled_events" (
        "event_id" varchar(128) NOT NULL,
        "due_at" timestamptz NOT NULL,
        "priority" smallint NOT NULL,
        "body" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_legacy_scheduled_events" PRIMARY KEY ("event_id")
      )`);
    await queryRunner.query(
      `CREATE INDEX "ix_legacy_scheduled_events_due" ON "legacy_scheduled_events" ("due_at")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "legacy_scheduled_events"`);
    await queryRunner.query(`DROP TABLE "legacy_processed_events"`);
    await queryRunner.query(`DROP TABLE "legacy_role_members"`);
  }
}
