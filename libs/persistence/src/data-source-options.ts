import { DataSource } from 'typeorm';
import { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { CallbackQueryClient } from './callback-query.client';
import { signalEntities } from './entities';
import { signalMigrations } from './migrations';

export interface PersistenceOptions {
  /** `postgres://user:password@host:port/database`. */
  url: string;
  /** Schema holding every table and the migrations table; `public` unless a test isolates itself. */
  schema: string;
  /** Maximum connections in the pool. Default 10. */
  poolSize?: number;
  /**
   * Longest wait for a connection, from the pool or a new one, in ms; then the query fails
   * ("timeout exceeded when trying to connect", transient). Default 5000. Without it a pool whose
   * connections are all busy or hang would queue callers without end.
   */
  connectTimeoutMs?: number;
  /** Shown in `pg_stat_activity`. */
  applicationName?: string;
}

export function buildDataSourceOptions(options: PersistenceOptions): PostgresConnectionOptions {
  return {
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    entities: signalEntities,
    migrations: signalMigrations,
    migrationsTableName: 'signal_migrations',
    synchronize: false,
    migrationsRun: false,
    // gen_random_uuid() is built into PostgreSQL 13+; no extension to install.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    applicationName: options.applicationName ?? 'signal',
    poolSize: options.poolSize ?? 10,
    extra: {
      // Queries in pg's own promise form keep their rows alive into the old generation.
      Client: CallbackQueryClient,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
      // Unqualified names in migrations and raw queries resolve in the configured schema.
      // Prepared statements (`preparedQuery`) are planned per call, as unnamed ones are: a plan
      // cached while a table was nearly empty would outlive the statistics it was made from.
      options: `-c search_path=${options.schema},public -c plan_cache_mode=force_custom_plan`,
    },
  };
}

/** Creates the schema when missing, then applies pending migrations; returns their names. */
export async function runMigrations(options: PersistenceOptions): Promise<string[]> {
  const dataSource = new DataSource({ ...buildDataSourceOptions(options), poolSize: 1 });
  await dataSource.initialize();
  try {
    await dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await dataSource.destroy();
  }
}
