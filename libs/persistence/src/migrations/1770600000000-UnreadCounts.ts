import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Unread counts and "read all" independent of history: a head per stream holds its row count and
 * newest seq, and each watermark the count it was read through, so a stream's unread count is
 * `row_count - read_through_count - marks above the watermark`, exact, without counting rows.
 *
 * - Activity inbox: `activity_notification_stream_heads` per recipient (scope, id).
 * - Notification Center: `phx_notification_center_heads` per user and tab, in-center records only.
 *
 * A statement trigger (transition table: only the rows really inserted, not the ON CONFLICT ones)
 * keeps each head in the inserting transaction, whoever inserts. Rows are never deleted or moved
 * between streams, so inserts are all it follows.
 *
 * The backfill runs with inserts and read state locked out (a write pause of one pass over the
 * tables): heads from the rows, each watermark's count from the rows at or below it. Activity
 * watermarks share streams (every member of an organizer reads its stream), so their counts come
 * from one ordered pass per stream rather than one count per watermark.
 */
export class UnreadCounts1770600000000 implements MigrationInterface {
  name = 'UnreadCounts1770600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      LOCK TABLE "activity_notifications", "activity_notification_read_watermarks",
                 "phx_notification_records", "phx_notification_center_read_watermarks"
        IN SHARE ROW EXCLUSIVE MODE`);

    await queryRunner.query(`
      CREATE TABLE "activity_notification_stream_heads" (
        "recipient_scope" varchar(16) NOT NULL,
        "recipient_id" varchar(128) NOT NULL,
        "row_count" bigint NOT NULL DEFAULT 0,
        "last_seq" bigint NOT NULL DEFAULT 0,
        CONSTRAINT "pk_activity_notification_stream_heads"
          PRIMARY KEY ("recipient_scope", "recipient_id")
      )`);
    await queryRunner.query(`
      CREATE FUNCTION "activity_notification_stream_heads_add"() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO activity_notification_stream_heads AS h
          (recipient_scope, recipient_id, row_count, last_seq)
        SELECT recipient_scope, recipient_id, count(*), max(seq) FROM inserted
         GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (recipient_scope, recipient_id) DO UPDATE
          SET row_count = h.row_count + excluded.row_count,
              last_seq = greatest(h.last_seq, excluded.last_seq);
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER "activity_notifications_heads" AFTER INSERT ON "activity_notifications"
        REFERENCING NEW TABLE AS inserted
        FOR EACH STATEMENT EXECUTE FUNCTION "activity_notification_stream_heads_add"()`);
    await queryRunner.query(`
      INSERT INTO "activity_notification_stream_heads"
        ("recipient_scope", "recipient_id", "row_count", "last_seq")
      SELECT recipient_scope, recipient_id, count(*), max(seq) FROM "activity_notifications"
       GROUP BY 1, 2`);
    await queryRunner.query(`
      ALTER TABLE "activity_notification_read_watermarks"
        ADD COLUMN "read_through_count" bigint NOT NULL DEFAULT 0`);
    await queryRunner.query(ACTIVITY_READ_THROUGH_COUNTS);

    await queryRunner.query(`
      CREATE TABLE "phx_notification_center_heads" (
        "user_id" varchar(128) NOT NULL,
        "type" varchar(16) NOT NULL,
        "row_count" bigint NOT NULL DEFAULT 0,
        "last_seq" bigint NOT NULL DEFAULT 0,
        CONSTRAINT "pk_phx_notification_center_heads" PRIMARY KEY ("user_id", "type")
      )`);
    await queryRunner.query(`
      CREATE FUNCTION "phx_notification_center_heads_add"() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO phx_notification_center_heads AS h (user_id, type, row_count, last_seq)
        SELECT user_id, type, count(*), max(seq) FROM inserted WHERE in_center
         GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (user_id, type) DO UPDATE
          SET row_count = h.row_count + excluded.row_count,
              last_seq = greatest(h.last_seq, excluded.last_seq);
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER "phx_notification_records_center_heads" AFTER INSERT
        ON "phx_notification_records" REFERENCING NEW TABLE AS inserted
        FOR EACH STATEMENT EXECUTE FUNCTION "phx_notification_center_heads_add"()`);
    await queryRunner.query(`
      INSERT INTO "phx_notification_center_heads" ("user_id", "type", "row_count", "last_seq")
      SELECT user_id, type, count(*), max(seq) FROM "phx_notification_records"
       WHERE in_center GROUP BY 1, 2`);
    await queryRunner.query(`
      ALTER TABLE "phx_notification_center_read_watermarks"
        ADD COLUMN "read_through_count" bigint NOT NULL DEFAULT 0`);
    // One watermark per (user, tab) over the user's own records: each record counted once at most.
    await queryRunner.query(`
      UPDATE "phx_notification_center_read_watermarks" w
         SET read_through_count = (
           SELECT count(*) FROM "phx_notification_records" r
            WHERE r.user_id = w.user_id AND r.type = w.type AND r.in_center
              AND r.seq <= w.read_through_seq)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "phx_notification_center_read_watermarks" DROP COLUMN "read_through_count"`,
    );
    await queryRunner.query(
      `DROP TRIGGER "phx_notification_records_center_heads" ON "phx_notification_records"`,
    );
    await queryRunner.query(`DROP FUNCTION "phx_notification_center_heads_add"()`);
    await queryRunner.query(`DROP TABLE "phx_notification_center_heads"`);
    await queryRunner.query(
      `ALTER TABLE "activity_notification_read_watermarks" DROP COLUMN "read_through_count"`,
    );
    await queryRunner.query(
      `DROP TRIGGER "activity_notifications_heads" ON "activity_notifications"`,
    );
    await queryRunner.query(`DROP FUNCTION "activity_notification_stream_heads_add"()`);
    await queryRunner.query(`DROP TABLE "activity_notification_stream_heads"`);
  }
}

/**
 * Sets every activity watermark's `read_through_count`: the rows of its stream at or below its
 * seq. Rows and watermarks of each watermarked stream in one seq order (a row before a watermark
 * at its seq), the rows before each watermark counted as they pass. Exported for the inbox bench,
 * which seeds watermarks with SQL.
 */
export const ACTIVITY_READ_THROUGH_COUNTS = `
  UPDATE activity_notification_read_watermarks w SET read_through_count = c.rows_through
    FROM (
      SELECT * FROM (
        SELECT e.user_id, e.recipient_scope, e.recipient_id,
               count(*) FILTER (WHERE e.user_id IS NULL) OVER (
                 PARTITION BY e.recipient_scope, e.recipient_id
                 ORDER BY e.seq, e.user_id IS NOT NULL ROWS UNBOUNDED PRECEDING) AS rows_through
          FROM (
            SELECT NULL::varchar AS user_id, n.recipient_scope, n.recipient_id, n.seq
              FROM activity_notifications n
             WHERE (n.recipient_scope, n.recipient_id) IN (
                     SELECT recipient_scope, recipient_id FROM activity_notification_read_watermarks)
            UNION ALL
            SELECT user_id, recipient_scope, recipient_id, read_through_seq
              FROM activity_notification_read_watermarks
          ) e
      ) numbered
     WHERE numbered.user_id IS NOT NULL
    ) c
   WHERE w.user_id = c.user_id AND w.recipient_scope = c.recipient_scope
     AND w.recipient_id = c.recipient_id`;
