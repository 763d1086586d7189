import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Read state as a watermark plus per-item marks above it, as feed products keep it: "read all"
 * moves one watermark per (user, stream) instead of writing one row per notification (a member of
 * an organizer with 1,000,000 notifications used to write 1,000,000 read rows).
 *
 * - Activity inbox: `activity_notification_read_watermarks` per user and recipient (scope, id);
 *   `activity_notification_reads` stays the per-item mark, now carrying its row's stream and seq
 *   so unread counts subtract marks without joining notifications.
 * - Notification Center: `phx_notification_center_read_watermarks` per user and tab; a record's
 *   own `read_at` stays its per-item mark.
 *
 * Existing read state is carried over: where a user has read a stream from its first row on,
 * that prefix becomes the watermark (and its per-item rows go); every other mark stays a mark.
 * `down` turns watermarks back into per-item read state.
 */
export class ReadWatermarks1770200000000 implements MigrationInterface {
  name = 'ReadWatermarks1770200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "activity_notification_read_watermarks" (
        "user_id" varchar(128) NOT NULL,
        "recipient_scope" varchar(16) NOT NULL,
        "recipient_id" varchar(128) NOT NULL,
        "read_through_seq" bigint NOT NULL,
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_activity_notification_read_watermarks"
          PRIMARY KEY ("user_id", "recipient_scope", "recipient_id")
      )`);
    // The watermark of a (user, stream): its last row before the first unread one, or its last row.
    await queryRunner.query(`
      INSERT INTO "activity_notification_read_watermarks"
        ("user_id", "recipient_scope", "recipient_id", "read_through_seq", "updated_at")
      SELECT g.user_id, g.recipient_scope, g.recipient_id, p.read_through, g.read_at
        FROM (
          SELECT r.user_id, n.recipient_scope, n.recipient_id, min(n.seq) AS first_read,
                 max(n.seq) AS last_read, max(r.read_at) AS read_at
            FROM "activity_notification_reads" r
            JOIN "activity_notifications" n ON n.id = r.notification_id
           GROUP BY 1, 2, 3
        ) g
        LEFT JOIN LATERAL (
          SELECT u.seq AS first_unread FROM "activity_notifications" u
           WHERE u.recipient_scope = g.recipient_scope AND u.recipient_id = g.recipient_id
             AND NOT EXISTS (
               SELECT 1 FROM "activity_notification_reads" x
                WHERE x.user_id = g.user_id AND x.notification_id = u.id)
           ORDER BY u.seq LIMIT 1
        ) f ON true
        CROSS JOIN LATERAL (
          SELECT CASE WHEN f.first_unread IS NULL THEN g.last_read ELSE (
            SELECT max(n.seq) FROM "activity_notifications" n
             WHERE n.recipient_scope = g.recipient_scope AND n.recipient_id = g.recipient_id
               AND n.seq < f.first_unread) END AS read_through
        ) p
       WHERE p.read_through >= g.first_read`);
    await queryRunner.query(`
      DELETE FROM "activity_notification_reads" r
       USING "activity_notifications" n, "activity_notification_read_watermarks" w
       WHERE n.id = r.notification_id AND w.user_id = r.user_id
         AND w.recipient_scope = n.recipient_scope AND w.recipient_id = n.recipient_id
         AND n.seq <= w.read_through_seq`);
    await queryRunner.query(`
      ALTER TABLE "activity_notification_reads"
        ADD COLUMN "recipient_scope" varchar(16),
        ADD COLUMN "recipient_id" varchar(128),
        ADD COLUMN "seq" bigint`);
    await queryRunner.query(`
      UPDATE "activity_notification_reads" r
         SET recipient_scope = n.recipient_scope, recipient_id = n.recipient_id, seq = n.seq
        FROM "activity_notifications" n
       WHERE n.id = r.notification_id`);
    await queryRunner.query(`
      ALTER TABLE "activity_notification_reads"
        ALTER COLUMN "recipient_scope" SET NOT NULL,
        ALTER COLUMN "recipient_id" SET NOT NULL,
        ALTER COLUMN "seq" SET NOT NULL`);
    await queryRunner.query(
      `CREATE INDEX "ix_activity_notification_reads_user_recipient_seq" ON "activity_notification_reads" ("user_id", "recipient_scope", "recipient_id", "seq")`,
    );

    await queryRunner.query(`
      CREATE TABLE "phx_notification_center_read_watermarks" (
        "user_id" varchar(128) NOT NULL,
        "type" varchar(16) NOT NULL,
        "read_through_seq" bigint NOT NULL,
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_phx_notification_center_read_watermarks" PRIMARY KEY ("user_id", "type")
      )`);
    // Records keep their read_at; the watermark only spares counts the read prefix of each tab.
    await queryRunner.query(`
      INSERT INTO "phx_notification_center_read_watermarks"
        ("user_id", "type", "read_through_seq", "updated_at")
      SELECT g.user_id, g.type, p.read_through, g.read_at
        FROM (
          SELECT user_id, type, min(seq) AS first_read, max(seq) AS last_read,
                 max(read_at) AS read_at
            FROM "phx_notification_records"
           WHERE in_center AND read_at IS NOT NULL
           GROUP BY 1, 2
        ) g
        LEFT JOIN LATERAL (
          SELECT u.seq AS first_unread FROM "phx_notification_records" u
           WHERE u.user_id = g.user_id AND u.type = g.type AND u.in_center AND u.read_at IS NULL
           ORDER BY u.seq LIMIT 1
        ) f ON true
        CROSS JOIN LATERAL (
          SELECT CASE WHEN f.first_unread IS NULL THEN g.last_read ELSE (
            SELECT max(r.seq) FROM "phx_notification_records" r
             WHERE r.user_id = g.user_id AND r.type = g.type AND r.in_center
               AND r.seq < f.first_unread) END AS read_through
        ) p
       WHERE p.read_through >= g.first_read`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      UPDATE "phx_notification_records" r SET read_at = w.updated_at
        FROM "phx_notification_center_read_watermarks" w
       WHERE r.user_id = w.user_id AND r.type = w.type AND r.in_center
         AND r.seq <= w.read_through_seq AND r.read_at IS NULL`);
    await queryRunner.query(`DROP TABLE "phx_notification_center_read_watermarks"`);

    await queryRunner.query(`DROP INDEX "ix_activity_notification_reads_user_recipient_seq"`);
    await queryRunner.query(`
      ALTER TABLE "activity_notification_reads"
        DROP COLUMN "recipient_scope", DROP COLUMN "recipient_id", DROP COLUMN "seq"`);
    await queryRunner.query(`
      INSERT INTO "activity_notification_reads" ("user_id", "notification_id", "read_at")
      SELECT w.user_id, n.id, w.updated_at
        FROM "activity_notification_read_watermarks" w
        JOIN "activity_notifications" n
          ON n.recipient_scope = w.recipient_scope AND n.recipient_id = w.recipient_id
         AND n.seq <= w.read_through_seq
      ON CONFLICT DO NOTHING`);
    await queryRunner.query(`DROP TABLE "activity_notification_read_watermarks"`);
  }
}
