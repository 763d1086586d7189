import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { INestApplication, Logger } from '@nestjs/common';
import { runMigrations } from '@signal/persistence';
import { ConfigValidationError, loadSignalConfig, SignalConfig } from './config/signal-config';
import { replayDeadLetters } from './kafka';
import { logProcessWarnings } from './logging/process-warnings';
import { signalProcessLogger } from './logging/signal-logger.options';
import { startSignalApp } from './signal-app';
import { Kafka, logLevel } from 'kafkajs';
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

/** `dlq:replay [--since ISO-8601] [--limit N] [--dry-run]`: dead letters back to their topic. */
async function replayDeadLetterCommand(config: SignalConfig, logger: Logger): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(3),
    options: {
      since: { type: 'string' },
      limit: { type: 'string' },
      'dry-run': { type: 'boolean' },
    },
  });
  const since = values.since === undefined ? undefined : new Date(values.since);
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (since && Number.isNaN(since.getTime())) throw new Error('--since must be an ISO-8601 date');
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) {
    throw new Error('--limit must be a positive integer');
  }
  const topic = config.kafka.activityTopic;
  const kafka = new Kafka({
    clientId: `${config.kafka.clientId}-dlq-replay`,
    brokers: config.kafka.brokers,
    logLevel: logLevel.WARN,
  });
  const report = await replayDeadLetters(kafka, {
    deadLetterTopic: `${topic}.dlq`,
    fallbackTopic: topic,
    since,
    limit,
    dryRun: values['dry-run'] ?? false,
    onProgress: (line) => logger.log(line),
  });
  logger.log(
    `dead letters scanned ${report.scanned}, ${values['dry-run'] ? 'to replay' : 'replayed'} ${report.replayed}, before --since ${report.skippedBeforeSince}`,
  );
}

/**
 * `main.js` starts the app; `main.js migrate` applies pending migrations and exits (containers);
 * `main.js dlq:replay …` re-publishes dead letters.
 */
async function main(): Promise<void> {
  const config = configOrExit();
  Logger.overrideLogger(signalProcessLogger(config));
  const logger = new Logger('Signal');
  logProcessWarnings(new Logger('Process'));
  if (process.argv[2] === 'dlq:replay') {
    await replayDeadLetterCommand(config, logger);
    return;
  }
  if (process.argv[2] === 'migrate') {
    const applied = await runMigrations({
      ...config.database,
      applicationName: 'signal-migrations',
    });
    logger.log(`migrations applied: ${applied.length === 0 ? 'none pending' : applied.join(', ')}`);
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
