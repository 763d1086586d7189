import { runMigrations } from '../data-source-options';

// `npm run migration:run`: same environment names and defaults as the app.
async function main(): Promise<void> {
  const schema = process.env.DATABASE_SCHEMA ?? 'public';
  const applied = await runMigrations({
    url: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/signal',
    schema,
    applicationName: 'signal-migrations',
  });
  console.log(
    applied.length === 0
      ? `migrations: schema "${schema}" is up to date`
      : `migrations: applied ${applied.join(', ')} to schema "${schema}"`,
  );
}

main().catch((error: unknown) => {
  console.error('migrations failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
