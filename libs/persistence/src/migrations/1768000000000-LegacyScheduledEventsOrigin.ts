import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A scheduled legacy event keeps the routing key and correlation id it arrived with, so that
 * once released it is logged under the sender's id and, if refused, dead-lettered with where it
 * came from. Rows parked before this migration have neither (`''` and null).
 */
export class LegacyScheduledEventsOrigin1768000000000 implements MigrationInterface {
  name = 'LegacyScheduledEventsOrigin1768000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "legacy_scheduled_events" ADD COLUMN "routing_key" varchar(255) NOT NULL DEFAULT ''`,
    );
    await queryRunner.query(
      `ALTER TABLE "legacy_scheduled_events" ADD COLUMN "correlation_id" varchar(128)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "legacy_scheduled_events" DROP COLUMN "correlation_id"`);
    await queryRunner.query(`ALTER TABLE "legacy_scheduled_events" DROP COLUMN "routing_key"`);
  }
}
