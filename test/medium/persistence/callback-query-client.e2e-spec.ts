import { GCProfiler } from 'node:v8';
import { buildDataSourceOptions } from '@signal/persistence';
import { TEST_DATABASE_URL } from '@signal/persistence/testing/test-schema';
import { QueryResult } from 'pg';
import { DataSource } from 'typeorm';

/** Bytes that young-generation collections moved into the old generation while `work` ran. */
async function promotedBy(
  work: () => Promise<void>,
): Promise<{ bytes: number; scavenges: number }> {
  const profiler = new GCProfiler();
  profiler.start();
  await work();
  const { statistics } = profiler.stop();
  const oldSpaceUsed = (gc: (typeof statistics)[number]['beforeGC']) =>
    gc.heapSpaceStatistics.find((space) => space.spaceName === 'old_space')?.spaceUsedSize ?? 0;
  const scavenges = statistics.filter((gc) => gc.gcType === 'Scavenge');
  const bytes = scavenges.reduce(
    (sum, gc) => sum + Math.max(0, oldSpaceUsed(gc.afterGC) - oldSpaceUsed(gc.beforeGC)),
    0,
  );
  return { bytes, scavenges: scavenges.length };
}

describe('CallbackQueryClient: the pool client under TypeORM, on real PostgreSQL', () => {
  let db: DataSource;

  beforeAll(async () => {
    db = new DataSource({
      ...buildDataSourceOptions({ url: TEST_DATABASE_URL, schema: 'public' }),
      poolSize: 2,
    });
    await db.initialize();
  });

  afterAll(() => db.destroy());

  it('should answer rows, and reject with the database error and the connection still usable', async () => {
    expect(await db.query('SELECT $1::int + $2::int AS sum', [40, 2])).toEqual([{ sum: 42 }]);
    const failed = db.query('SELECT * FROM no_such_table_for_callback_client');
    await expect(failed).rejects.toMatchObject({
      driverError: expect.objectContaining({ code: '42P01' }),
    });
    expect(await db.query('SELECT 7 AS n')).toEqual([{ n: 7 }]);
  });

  it("should pass pg's callback form through as it is", async () => {
    const [client, release] = (await (
      db.driver as unknown as { obtainMasterConnection(): Promise<[PgClient, () => void]> }
    ).obtainMasterConnection()) as [PgClient, () => void];
    try {
      const result = await new Promise<QueryResult>((resolve, reject) =>
        client.query('SELECT $1::text AS echoed', ['hi'], (error, answer) =>
          error ? reject(error) : resolve(answer),
        ),
      );
      expect(result.rows).toEqual([{ echoed: 'hi' }]);
    } finally {
      release();
    }
  });

  // Through pg's own promise form (the pool's `Client` left as pg's), these 2,000 queries moved
  // about 100 MB into the old generation; through this client, next to nothing.
  it('should let the rows of finished queries die young', async () => {
    const rowsPerQuery = 200;
    const { bytes, scavenges } = await promotedBy(async () => {
      for (let n = 0; n < 2000; n++) {
        const rows: unknown[] = await db.query(
          `SELECT g, repeat('x', 100) AS filler, now() AS at FROM generate_series(1, $1::int) g`,
          [rowsPerQuery],
        );
        expect(rows).toHaveLength(rowsPerQuery);
      }
    });
    expect(scavenges).toBeGreaterThan(2);
    expect(bytes).toBeLessThan(3 * 1024 * 1024);
  });
});

type PgClient = {
  query(
    text: string,
    values: unknown[],
    callback: (error: Error | null, result: QueryResult) => void,
  ): void;
};
