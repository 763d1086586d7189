/**
 * Run by callback-query-client.e2e-spec.ts in a process of its own (with `--expose-gc`), so
 * nothing else in the test runner allocates while it counts: runs `QUERIES` queries of `ROWS`
 * rows through a DataSource built as the app builds it and prints, as JSON, the bytes scavenges
 * moved to the old generation meanwhile.
 */
import { GCProfiler } from 'node:v8';
import { buildDataSourceOptions } from '@signal/persistence';
import { TEST_DATABASE_URL } from '@signal/persistence/testing/test-schema';
import { DataSource } from 'typeorm';

const QUERIES = 2000;
const ROWS = 200;

async function main(): Promise<void> {
  const db = new DataSource({
    ...buildDataSourceOptions({ url: TEST_DATABASE_URL, schema: 'public' }),
    poolSize: 1,
  });
  await db.initialize();
  const run = async (queries: number) => {
    for (let n = 0; n < queries; n++) {
      const rows: unknown[] = await db.query(
        `SELECT g, repeat('x', 100) AS filler, now() AS at FROM generate_series(1, $1::int) g`,
        [ROWS],
      );
      if (rows.length !== ROWS) throw new Error(`query ${n}: ${rows.length} rows`);
    }
  };
  // What start-up and the first queries load (modules, compiled code) is long-lived by right:
  // promoted, or collected, before counting starts.
  await run(100);
  (globalThis as { gc?: () => void }).gc?.();
  const profiler = new GCProfiler();
  profiler.start();
  await run(QUERIES);
  const { statistics } = profiler.stop();
  await db.destroy();
  const oldSpaceUsed = (gc: (typeof statistics)[number]['beforeGC']) =>
    gc.heapSpaceStatistics.find((space) => space.spaceName === 'old_space')?.spaceUsedSize ?? 0;
  const scavenges = statistics.filter((gc) => gc.gcType === 'Scavenge');
  const promotedBytes = scavenges.reduce(
    (sum, gc) => sum + Math.max(0, oldSpaceUsed(gc.afterGC) - oldSpaceUsed(gc.beforeGC)),
    0,
  );
  process.stdout.write(`${JSON.stringify({ promotedBytes, scavenges: scavenges.length })}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
