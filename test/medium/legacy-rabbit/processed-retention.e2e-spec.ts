import { LegacyEventRepository } from '@signal/persistence';
import { createTestSchema, TestSchema } from '@signal/persistence/testing/test-schema';
import { LegacyProcessedEventsPruner } from '../../../apps/signal/src/legacy-rabbit/legacy-processed-events.pruner';
import { SignalConfig } from '../../../apps/signal/src/config/signal-config';

describe('Legacy V1 events: processed ids are forgotten after the retention (real PostgreSQL)', () => {
  let db: TestSchema;
  let events: LegacyEventRepository;

  beforeAll(async () => {
    db = await createTestSchema('legacy-retention');
    events = new LegacyEventRepository(db.dataSource);
  });

  afterAll(async () => {
    await db?.drop();
  });

  /** `count` processed events, `daysAgo` old. */
  async function processed(prefix: string, count: number, daysAgo: number): Promise<void> {
    await db.dataSource.query(
      `INSERT INTO legacy_processed_events (event_id, event_type, recipients, processed_at)
       SELECT $1 || n, 'loaphuong.AnnouncementCreated', 1, now() - make_interval(days => $3::int)
         FROM generate_series(1, $2::int) AS n`,
      [prefix, count, daysAgo],
    );
  }

  it('should prune only the events older than the retention, batch after batch, and recognise the rest', async () => {
    await processed('old-', 25_000, 31);
    await processed('fresh-', 3, 29);
    await events.markProcessed('today', 'loaphuong.AnnouncementCreated', 2);
    const pruner = new LegacyProcessedEventsPruner(
      { legacy: { processedRetentionDays: 30 } } as SignalConfig,
      events,
    );

    // More than one batch of 10,000.
    expect(await pruner.prune()).toBe(25_000);

    expect(await events.isProcessed('old-1')).toBe(false);
    expect(await events.isProcessed('old-25000')).toBe(false);
    expect(await events.isProcessed('fresh-1')).toBe(true);
    expect(await events.isProcessed('today')).toBe(true);
    const [{ count }]: { count: string }[] = await db.dataSource.query(
      `SELECT count(*) FROM legacy_processed_events`,
    );
    expect(Number(count)).toBe(4);
    // Nothing left to prune.
    expect(await pruner.prune()).toBe(0);
  });

  it('should find the old events through the processed_at index, not a scan of the table', async () => {
    // A table of recent events, as it mostly is: the prune should touch none of them.
    await processed('recent-', 20_000, 1);
    await db.dataSource.query(`ANALYZE legacy_processed_events`);
    const plan: { 'QUERY PLAN': string }[] = await db.dataSource.query(
      `EXPLAIN SELECT event_id FROM legacy_processed_events
        WHERE processed_at < now() - make_interval(days => 30) ORDER BY processed_at LIMIT 10000`,
    );
    expect(plan.map((row) => row['QUERY PLAN']).join('\n')).toContain(
      'ix_legacy_processed_events_processed_at',
    );
  });
});
