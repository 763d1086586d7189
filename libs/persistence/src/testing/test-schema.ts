import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions, PersistenceOptions, runMigrations } from '../data-source-options';

export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/signal_test';

export interface TestSchema {
  /** Options to hand to the app or a DataSource of the test's own. */
  options: PersistenceOptions;
  /** Connected to the schema, migrations applied. */
  dataSource: DataSource;
  /** Closes the connection and drops the schema with everything in it. */
  drop(): Promise<void>;
}

/**
 * Gives one integration test file a schema of its own with every migration applied,
 * so test files can run in any order and in parallel.
 */
export async function createTestSchema(label: string): Promise<TestSchema> {
  const slug = label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .slice(0, 40);
  const schema = `t_${slug}_${randomBytes(4).toString('hex')}`;
  const options: PersistenceOptions = { url: TEST_DATABASE_URL, schema, poolSize: 4 };

  await runMigrations(options);
  const dataSource = new DataSource(buildDataSourceOptions(options));
  await dataSource.initialize();

  return {
    options,
    dataSource,
    drop: async () => {
      await dataSource.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await dataSource.destroy();
    },
  };
}
