import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface LegacyScheduledEvent {
  eventId: string;
  dueAt: Date;
  priority: number;
  body: string;
  /** Where it came from: the AMQP routing key, and the correlation id if it had one. */
  routingKey: string;
  correlationId: string | null;
}

/** What the legacy V1 adapter remembers: events already delivered, and events waiting for their time. */
@Injectable()
export class LegacyEventRepository {
  constructor(private readonly dataSource: DataSource) {}

  async isProcessed(eventId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM legacy_processed_events WHERE event_id = $1`,
      [eventId],
    );
    return rows.length > 0;
  }

  async markProcessed(eventId: string, eventType: string, recipients: number): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO legacy_processed_events (event_id, event_type, recipients) VALUES ($1, $2, $3)
       ON CONFLICT ON CONSTRAINT pk_legacy_processed_events DO NOTHING`,
      [eventId, eventType, recipients],
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

  /** Idempotent per event id: false when the event was already scheduled (a redelivery). */
  async schedule(event: LegacyScheduledEvent): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO legacy_scheduled_events
         (event_id, due_at, priority, body, routing_key, correlation_id)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT ON CONSTRAINT pk_legacy_scheduled_events DO NOTHING RETURNING event_id`,
      [
        event.eventId,
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
   * Hands up to `limit` due events to `release` and forgets them once it resolves, in one
   * transaction: rows are locked (other instances skip them), and a failed release keeps them.
   * A crash after `release` but before the commit releases them again, which the processed
   * events and the Producer's idempotency keys make harmless.
   */
  async releaseDue(
    limit: number,
    release: (events: LegacyScheduledEvent[]) => Promise<void>,
  ): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows: {
        event_id: string;
        due_at: Date;
        priority: number;
        body: string;
        routing_key: string;
        correlation_id: string | null;
      }[] = await manager.query(
        `SELECT event_id, due_at, priority, body, routing_key, correlation_id
             FROM legacy_scheduled_events
            WHERE due_at <= now() ORDER BY due_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      if (rows.length === 0) return 0;
      await release(
        rows.map((row) => ({
          eventId: row.event_id,
          dueAt: row.due_at,
          priority: row.priority,
          body: row.body,
          routingKey: row.routing_key,
          correlationId: row.correlation_id,
        })),
      );
      await manager.query(
        `DELETE FROM legacy_scheduled_events WHERE event_id = ANY($1::varchar[])`,
        [rows.map((row) => row.event_id)],
      );
      return rows.length;
    });
  }
}
