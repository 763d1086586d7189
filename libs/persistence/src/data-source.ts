import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from './data-source-options';

// Entry point of the TypeORM CLI (migration:generate / revert), the one place outside the
// app's validated configuration that reads the environment.
export default new DataSource(
  buildDataSourceOptions({
    url: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/signal',
    schema: process.env.DATABASE_SCHEMA ?? 'public',
  }),
);
