import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { EnvironmentVariables } from './environment-variables';
import { withoutEmptyValues } from './env-validators';

export type LogLevelName = 'error' | 'warn' | 'log' | 'debug' | 'verbose';

/** Typed, validated settings of the Signal app; injected by class token. */
export class SignalConfig {
  readonly env!: 'development' | 'production' | 'test';
  readonly http!: { port: number };
  readonly logLevel!: LogLevelName;
  readonly database!: { url: string; schema: string; poolSize: number };
  readonly kafka!: { enabled: boolean; brokers: string[]; clientId: string; groupId: string };
  readonly rabbitmq!: { enabled: boolean; url: string; queue: string; prefetch: number };
  readonly redis!: { url: string };
  readonly health!: { timeoutMs: number };
  readonly shutdown!: { timeoutMs: number };
}

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = ConfigValidationError.name;
  }
}

function describe(errors: ValidationError[]): string[] {
  // Values are left out on purpose: URLs and keys may carry secrets.
  return errors.map(
    (error) => `${error.property}: ${Object.values(error.constraints ?? {}).join('; ')}`,
  );
}

/** Validates the environment once, at boot; throws listing every bad variable. */
export function loadSignalConfig(env: NodeJS.ProcessEnv): SignalConfig {
  const vars = plainToInstance(EnvironmentVariables, withoutEmptyValues(env), {
    exposeDefaultValues: true,
  });
  const errors = validateSync(vars, { skipMissingProperties: false });
  if (errors.length > 0) throw new ConfigValidationError(describe(errors));

  return {
    env: vars.NODE_ENV as SignalConfig['env'],
    http: { port: vars.PORT },
    logLevel: vars.LOG_LEVEL as LogLevelName,
    database: {
      url: vars.DATABASE_URL,
      schema: vars.DATABASE_SCHEMA,
      poolSize: vars.DATABASE_POOL_SIZE,
    },
    kafka: {
      enabled: vars.KAFKA_ENABLED,
      brokers: vars.KAFKA_BROKERS.split(',').map((broker) => broker.trim()),
      clientId: vars.APP_ENV_KAFKA_CLIENT_ID,
      groupId: vars.APP_ENV_KAFKA_GROUP_ID,
    },
    rabbitmq: {
      enabled: vars.RABBITMQ_ENABLED,
      url: vars.RABBITMQ_URL,
      queue: vars.RABBITMQ_QUEUE,
      prefetch: vars.RABBITMQ_PREFETCH,
    },
    redis: { url: vars.REDIS_URL },
    health: { timeoutMs: vars.HEALTH_CHECK_TIMEOUT_MS },
    shutdown: { timeoutMs: vars.SHUTDOWN_TIMEOUT_MS },
  };
}
