import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Unread counts without counting marks: each watermark keeps `marked_above`, how many of its
 * stream's (tab's) items the user marked read one by one above it. A stream's unread count is then
 * `row_count - read_through_count - marked_above`, three columns of two rows, however many items
 * the user marked. Marking one read adds to it and "read all" resets it, each under the
 * watermark's row lock (see the repositories).
 *
 * The backfill counts the marks above every watermark, creating a watermark at 0 where a user
 * marked items of a stream without ever reading it all; marks and watermarks are locked out
 * meanwhile (a pause of one pass over the marks).
 */
export class ReadMarkCounts1770800000000 implements MigrationInterface {
  name = 'ReadMarkCounts1770800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      LOCK TABLE "activity_notification_reads", "activity_notification_read_watermarks",
                 "phx_notification_records", "phx_notification_center_read_watermarks"
        IN SHARE ROW EXCLUSIVE MODE`);
    await queryRunner.query(`
      ALTER TABLE "activity_notification_read_watermarks"
        ADD COLUMN "marked_above" bigint NOT NULL DEFAULT 0`);
    await queryRunner.query(ACTIVITY_MARKED_ABOVE);
    await queryRunner.query(`
      ALTER TABLE "phx_notification_center_read_watermarks"
        ADD COLUMN "marked_above" bigint NOT NULL DEFAULT 0`);
    await queryRunner.query(CENTER_MARKED_ABOVE);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "phx_notification_center_read_watermarks" DROP COLUMN "marked_above"`,
    );
    await queryRunner.query(
      `ALTER TABLE "activity_notification_read_watermarks" DROP COLUMN "marked_above"`,
    );
  }
}

/**
 * Sets `marked_above` of every activity watermark that has marks above it, creating the missing
 * watermarks at seq 0. Exported for the inbox bench, which seeds marks with SQL.
 */
export const ACTIVITY_MARKED_ABOVE = `
  INSERT INTO activity_notification_read_watermarks AS w
    (user_id, recipient_scope, recipient_id, read_through_seq, read_through_count, marked_above)
  SELECT r.user_id, r.recipient_scope, r.recipient_id, 0, 0, count(*)
    FROM activity_notification_reads r
    LEFT JOIN activity_notification_read_watermarks x
      ON x.user_id = r.user_id AND x.recipient_scope = r.recipient_scope
     AND x.recipient_id = r.recipient_id
   WHERE r.seq > coalesce(x.read_through_seq, 0)
   GROUP BY 1, 2, 3
  ON CONFLICT (user_id, recipient_scope, recipient_id) DO UPDATE
    SET marked_above = excluded.marked_above`;

/** The same for Notification Center watermarks: records read one by one above them. */
export const CENTER_MARKED_ABOVE = `
  INSERT INTO phx_notification_center_read_watermarks AS w
    (user_id, type, read_through_seq, read_through_count, marked_above)
  SELECT r.user_id, r.type, 0, 0, count(*)
    FROM phx_notification_records r
    LEFT JOIN phx_notification_center_read_watermarks x
      ON x.user_id = r.user_id AND x.type = r.type
   WHERE r.in_center AND r.read_at IS NOT NULL AND r.seq > coalesce(x.read_through_seq, 0)
   GROUP BY 1, 2
  ON CONFLICT (user_id, type) DO UPDATE SET marked_above = excluded.marked_above`;
