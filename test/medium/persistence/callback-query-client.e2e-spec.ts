import { buildDataSourceOptions } from '@signal/persistence';
import { TEST_DATABASE_URL } from '@signal/persistence/testing/test-schema';
import { Pool, QueryResult } from 'pg';
import { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { runFixture } from '../../support/fixture-process';

/** What `query-promotion-process.ts` measured in a process of its own. */
async function promotionOfProbe(): Promise<{ promotedBytes: number; scavenges: number }> {
  const { stdout } = await runFixture('query-promotion-process.ts', { nodeFlags: ['--expose-gc'] });
  return JSON.parse(stdout) as { promotedBytes: number; scavenges: number };
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
    // The pool's own `query` calls its client's in the callback form.
    const pool = (db.driver as PostgresDriver).master as Pool;
    const result = await new Promise<QueryResult>((resolve, reject) =>
      pool.query('SELECT $1::text AS echoed', ['hi'], (error, answer) =>
        error ? reject(error) : resolve(answer),
      ),
    );
    expect(result.rows).toEqual([{ echoed: 'hi' }]);
  });

  // Through pg's own promise form (the pool's `Client` left as pg's), the probe's 2,000 queries
  // moved about 100 MB into the old generation; through this client about 2 MB.
  it('should let the rows of finished queries die young', async () => {
    const { promotedBytes, scavenges } = await promotionOfProbe();
    expect(scavenges).toBeGreaterThan(2);
    expect(promotedBytes).toBeLessThan(10 * 1024 * 1024);
  }, 90_000);
});
