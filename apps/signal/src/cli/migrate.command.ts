import { Logger } from '@nestjs/common';
import { runMigrations } from '@signal/persistence';
import { SignalConfig } from '../config/signal-config';

/** `migrate`: applies the pending migrations to DATABASE_URL's DATABASE_SCHEMA. */
export async function migrateCommand(config: SignalConfig, logger: Logger): Promise<void> {
  const { schema } = config.database;
  const applied = await runMigrations({ ...config.database, applicationName: 'signal-migrations' });
  logger.log(
    applied.length === 0
      ? `migrations: schema "${schema}" is up to date`
      : `migrations: applied ${applied.join(', ')} to schema "${schema}"`,
  );
}
