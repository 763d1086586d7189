import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { EnvironmentVariables } from './environment-variables';
import { withoutEmptyValues } from './env-validators';

/** Used outside production when no key is configured, so a fresh clone runs; logged loudly. */
export const DEVELOPMENT_JWT_SECRET = 'signal-development-jwt-secret';
export const DEVELOPMENT_API_KEY = 'signal-development-api-key';

export type JwtVerification =
  { algorithm: 'HS256'; secret: string } | { algorithm: 'RS256'; publicKey: string };

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
  readonly auth!: { jwt: JwtVerification; apiKeys: string[]; developmentDefaults: string[] };
  readonly gateway!: { maxPayloadBytes: number; replayLimit: number; redisKey: string };
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
  const problems = [...describe(errors), ...crossFieldProblems(vars)];
  if (problems.length > 0) throw new ConfigValidationError(problems);
  const production = vars.NODE_ENV === 'production';

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
    auth: {
      jwt: vars.SIGNAL_JWT_PUBLIC_KEY
        ? { algorithm: 'RS256', publicKey: vars.SIGNAL_JWT_PUBLIC_KEY.replace(/\\n/g, '\n') }
        : { algorithm: 'HS256', secret: vars.SIGNAL_JWT_SECRET ?? DEVELOPMENT_JWT_SECRET },
      apiKeys: vars.SIGNAL_API_KEYS?.split(',') ?? [DEVELOPMENT_API_KEY],
      developmentDefaults: production
        ? []
        : [
            ...(vars.SIGNAL_JWT_SECRET || vars.SIGNAL_JWT_PUBLIC_KEY ? [] : ['SIGNAL_JWT_SECRET']),
            ...(vars.SIGNAL_API_KEYS ? [] : ['SIGNAL_API_KEYS']),
          ],
    },
    gateway: {
      maxPayloadBytes: vars.SIGNAL_EMIT_MAX_PAYLOAD_BYTES,
      replayLimit: vars.SIGNAL_REPLAY_LIMIT,
      redisKey: vars.SOCKET_IO_REDIS_KEY,
    },
  };
}

function crossFieldProblems(vars: EnvironmentVariables): string[] {
  const problems: string[] = [];
  if (vars.SIGNAL_JWT_SECRET && vars.SIGNAL_JWT_PUBLIC_KEY) {
    problems.push('SIGNAL_JWT_SECRET: set either it or SIGNAL_JWT_PUBLIC_KEY, not both');
  }
  if (vars.NODE_ENV === 'production') {
    if (!vars.SIGNAL_JWT_SECRET && !vars.SIGNAL_JWT_PUBLIC_KEY) {
      problems.push('SIGNAL_JWT_SECRET: required in production (or SIGNAL_JWT_PUBLIC_KEY)');
    }
    if (!vars.SIGNAL_API_KEYS) problems.push('SIGNAL_API_KEYS: required in production');
  }
  return problems;
}
