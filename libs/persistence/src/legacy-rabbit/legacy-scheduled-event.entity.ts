import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A legacy V1 event whose `scheduledAt` was in the future: held here until due. */
@Entity({ name: 'legacy_scheduled_events' })
@Index('ix_legacy_scheduled_events_due', ['dueAt'])
export class LegacyScheduledEventEntity {
  /** The event's `eventId`, or `sha256:<64 hex>` of its canonical body when it has none. */
  @PrimaryColumn({
    name: 'event_id',
    type: 'varchar',
    length: 128,
    primaryKeyConstraintName: 'pk_legacy_scheduled_events',
  })
  eventKey!: string;

  /** When to release it; while a releaser publishes it, when that releaser's claim runs out. */
  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt!: Date;

  /** AMQP priority of the delivery queue (low 1 … urgent 4). */
  @Column({ type: 'smallint' })
  priority!: number;

  /** The event's JSON as received. */
  @Column({ type: 'text' })
  body!: string;

  /** The AMQP routing key it arrived with; '' for rows parked before it was kept. */
  @Column({ name: 'routing_key', type: 'varchar', length: 255, default: '' })
  routingKey!: string;

  @Column({ name: 'correlation_id', type: 'varchar', length: 128, nullable: true })
  correlationId!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
