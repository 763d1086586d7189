import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A legacy V1 event delivered to every target: a second copy of it (same `eventId`, or same
 * canonical body for events without one) is only acked, for as long as the row is kept
 * (`LEGACY_PROCESSED_RETENTION_DAYS`).
 */
@Entity({ name: 'legacy_processed_events' })
@Index('ix_legacy_processed_events_processed_at', ['processedAt'])
export class LegacyProcessedEventEntity {
  /** The event's `eventId`, or `sha256:<64 hex>` of its canonical body when it has none. */
  @PrimaryColumn({
    name: 'event_id',
    type: 'varchar',
    length: 128,
    primaryKeyConstraintName: 'pk_legacy_processed_events',
  })
  eventKey!: string;

  @Column({ name: 'event_type', type: 'varchar', length: 128 })
  eventType!: string;

  @Column({ type: 'integer' })
  recipients!: number;

  @Column({ name: 'processed_at', type: 'timestamptz', default: () => 'now()' })
  processedAt!: Date;
}
