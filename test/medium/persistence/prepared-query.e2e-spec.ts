import { buildDataSourceOptions } from '@signal/persistence';
import { preparedQuery } from '@signal/persistence/prepared-query';
import { createTestSchema, TestSchema } from '@signal/persistence/testing/test-schema';
import { DataSource } from 'typeorm';

describe('preparedQuery on real PostgreSQL', () => {
  let db: TestSchema;
  // One connection: what it has prepared is what the next statement sees.
  let single: DataSource;

  beforeAll(async () => {
    db = await createTestSchema('prepared_query');
    single = new DataSource({ ...buildDataSourceOptions(db.options), poolSize: 1 });
    await single.initialize();
  });

  afterAll(async () => {
    await single.destroy();
    await db.drop();
  });

  it('should prepare each text once per connection and answer its rows every time', async () => {
    const add = 'SELECT $1::int + $2::int AS sum';
    const concat = 'SELECT $1::text || $2::text AS joined';

    expect(await preparedQuery(single, add, [1, 2])).toEqual([{ sum: 3 }]);
    expect(await preparedQuery(single, add, [40, 2])).toEqual([{ sum: 42 }]);
    expect(await preparedQuery(single, concat, ['a', 'b'])).toEqual([{ joined: 'ab' }]);

    const prepared: { statement: string }[] = await single.query(
      `SELECT statement FROM pg_prepared_statements WHERE name LIKE 'signal\\_%' ORDER BY statement`,
    );
    expect(prepared.map((p) => p.statement)).toEqual([add, concat]);
  });

  it('should plan prepared statements per call, as unnamed ones are', async () => {
    expect(await single.query('SHOW plan_cache_mode')).toEqual([
      { plan_cache_mode: 'force_custom_plan' },
    ]);
  });

  it('should keep the SQLSTATE of a failed statement, and the connection usable', async () => {
    await expect(
      preparedQuery(single, 'SELECT * FROM no_such_table WHERE id = $1', [1]),
    ).rejects.toMatchObject({ code: '42P01', message: 'relation "no_such_table" does not exist' });

    expect(await preparedQuery(single, 'SELECT $1::int AS n', [7])).toEqual([{ n: 7 }]);
  });
});
