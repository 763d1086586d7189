import { existsSync } from 'node:fs';
import { INestApplication, Logger } from '@nestjs/common';
import { cliCommand } from './cli';
import { ConfigValidationError, loadSignalConfig, SignalConfig } from './config/signal-config';
import { logProcessWarnings } from './logging/process-warnings';
import { signalProcessLogger } from './logging/signal-logger.options';
import { startSignalApp } from './signal-app';
import { errorMessage } from './common/error-message';

function configOrExit(): SignalConfig {
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    return loadSignalConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

/** Drains and closes on SIGTERM/SIGINT, then exits 0; a close that hangs past the deadline exits 1. */
function exitGracefullyOnSignals(app: INestApplication, timeoutMs: number, logger: Logger): void {
  const onSignal = (signal: NodeJS.Signals) => {
    logger.log(`${signal} received: closing transports, sockets and the database`);
    setTimeout(() => {
      logger.error(`shutdown still running after ${timeoutMs} ms: exiting anyway`);
      process.exit(1);
    }, timeoutMs).unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error(`shutdown failed: ${errorMessage(error)}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}

/**
 * `main.js` starts the app; `main.js <command> …` runs one of `cli/`'s commands and exits:
 * `migrate` applies pending migrations (containers), `dlq:replay` re-publishes dead letters.
 */
async function main(): Promise<void> {
  const config = configOrExit();
  Logger.overrideLogger(signalProcessLogger(config));
  const logger = new Logger('Signal');
  logProcessWarnings(new Logger('Process'));
  for (const warning of config.warnings) logger.warn(warning);
  const command = cliCommand(process.argv[2]);
  if (command) {
    await command(process.argv.slice(3), config, logger);
    return;
  }
  if (config.auth.developmentDefaults.length > 0) {
    logger.warn(
      `${config.auth.developmentDefaults.join(' and ')} not set: using the well-known development values (never in production)`,
    );
  }
  if (config.auth.jwt.keys.length > 1) {
    // A rotation left half done keeps a retired key working: say so at every start.
    logger.log(
      'user JWTs of the previous key are accepted beside the current one (key rotation): unset SIGNAL_JWT_PREVIOUS_* once the tokens it signed have expired',
    );
  }
  const app = await startSignalApp(config);
  exitGracefullyOnSignals(app, config.shutdown.timeoutMs, logger);
  logger.log(
    `listening on :${config.http.port} (kafka consumer ${config.kafka.enabled ? 'on' : 'off'}, rabbitmq consumer ${config.rabbitmq.enabled ? 'on' : 'off'})`,
  );
}

main().catch((error: unknown) => {
  new Logger('Signal').fatal(
    error instanceof Error ? (error.stack ?? error.message) : String(error),
  );
  process.exit(1);
});
