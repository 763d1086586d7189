import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface LegacyScheduledEvent {
  /** The event's `eventId`, or `sha256:<hex>` of its canonical body when it has none. */
  eventKey: string;
  dueAt: Date;
  priority: number;
  body: string;
  /** Where it came from: the AMQP routing key, and the correlation id if it had one. */
  routingKey: string;
  correlationId: string | null;
}

/**
 * What the legacy V1 adapter remembers: events already delivered, and events waiting for their
 * time, each under its key (`event_id`: the `eventId`, or `sha256:<hex>` of the body, 71 characters).
 */
@Injectable()
export class LegacyEventRepository {
  constructor(private readonly dataSource: DataSource) {}

  async isProcessed(eventKey: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM legacy_processed_events WHERE event_id = $1`,
      [eventKey],
    );
    return rows.length > 0;
  }

  async markProcessed(eventKey: string, eventType: string, recipients: number): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO legacy_processed_events (event_id, event_type, recipients) VALUES ($1, $2, $3)
       ON CONFLICT ON CONSTRAINT pk_legacy_processed_events DO NOTHING`,
      [eventKey, eventType, recipients],
    );
  }

  /**
   * Forgets up to `limit` events processed more than `olderThanDays` ago, oldest first; answers
   * how many. Bounded, so that a large backlog is pruned in short statements.
   */
  async pruneProcessed(olderThanDays: number, limit: number): Promise<number> {
    const rows: unknown[] = await this.dataSource.query(
      `WITH pruned AS (
         DELETE FROM legacy_processed_events
          WHERE event_id IN (
                  SELECT event_id FROM legacy_processed_events
                   WHERE processed_at < now() - make_interval(days => $1::int)
                   ORDER BY processed_at
                   LIMIT $2)
          RETURNING 1
       )
       SELECT * FROM pruned`,
      [olderThanDays, limit],
    );
    return rows.length;
  }

  /** Idempotent per event key: false when the event was already scheduled (a redelivery). */
  async schedule(event: LegacyScheduledEvent): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO legacy_scheduled_events
         (event_id, due_at, priority, body, routing_key, correlation_id)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT ON CONSTRAINT pk_legacy_scheduled_events DO NOTHING RETURNING event_id`,
      [
        event.eventKey,
        event.dueAt,
        event.priority,
        event.body,
        event.routingKey,
        event.correlationId,
      ],
    );
    return rows.length === 1;
  }

  /**
   * Claims up to `limit` due events, oldest first, for `leaseMs`: their due time moves that far
   * ahead, so other releasers skip them meanwhile. One statement, no transaction left open: the
   * caller publishes, then {@link forget}s them. A releaser that dies in between leaves them to
   * be claimed again once the lease ran out (published once more; the delivery stage dedups by
   * event key).
   */
  async claimDue(limit: number, leaseMs: number): Promise<LegacyScheduledEvent[]> {
    const rows: {
      event_id: string;
      due_at: Date;
      priority: number;
      body: string;
      routing_key: string;
      correlation_id: string | null;
    }[] = await this.dataSource.query(
      `WITH due AS (
         SELECT event_id, due_at FROM legacy_scheduled_events
          WHERE due_at <= now() ORDER BY due_at LIMIT $1 FOR UPDATE SKIP LOCKED
       ), claimed AS (
         UPDATE legacy_scheduled_events s
            SET due_at = now() + make_interval(secs => $2::double precision / 1000)
           FROM due
          WHERE s.event_id = due.event_id
         RETURNING s.event_id, due.due_at, s.priority, s.body, s.routing_key, s.correlation_id
       )
       -- A plain UPDATE … RETURNING would come back from TypeORM as [rows, count].
       SELECT * FROM claimed ORDER BY due_at`,
      [limit, leaseMs],
    );
    return rows.map((row) => ({
      eventKey: row.event_id,
      dueAt: row.due_at,
      priority: row.priority,
      body: row.body,
      routingKey: row.routing_key,
      correlationId: row.correlation_id,
    }));
  }

  /** Drops released events from the schedule. */
  async forget(eventKeys: string[]): Promise<void> {
    if (eventKeys.length === 0) return;
    await this.dataSource.query(
      `DELETE FROM legacy_scheduled_events WHERE event_id = ANY($1::varchar[])`,
      [eventKeys],
    );
  }
}
