import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A legacy V1 event delivered to every target: a second copy of its `eventId` is only acked. */
@Entity({ name: 'legacy_processed_events' })
export class LegacyProcessedEventEntity {
  @PrimaryColumn({
    name: 'event_id',
    type: 'varchar',
    length: 128,
    primaryKeyConstraintName: 'pk_legacy_processed_events',
  })
  eventId!: string;

  @Column({ name: 'event_type', type: 'varchar', length: 128 })
  eventType!: string;

  @Column({ type: 'integer' })
  recipients!: number;

  @Column({ name: 'processed_at', type: 'timestamptz', default: () => 'now()' })
  processedAt!: Date;
}
