import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import {
  ActivityTemplate,
  DEFAULT_ACTIVITY_TEMPLATES,
} from '../kafka-notification/templates/activity-templates';
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
  readonly kafka!: {
    enabled: boolean;
    brokers: string[];
    clientId: string;
    groupId: string;
    activityTopic: string;
    fromBeginning: boolean;
    maxAttempts: number;
    retryInitialMs: number;
    retryMaxMs: number;
    partitionsConcurrency: number;
  };
  readonly activity!: { templates: Record<string, ActivityTemplate> };
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
      activityTopic: vars.KAFKA_TOPIC_ACTIVITY_NOTIFICATION,
      fromBeginning: vars.KAFKA_FROM_BEGINNING,
      maxAttempts: vars.KAFKA_MAX_ATTEMPTS,
      retryInitialMs: vars.KAFKA_RETRY_INITIAL_MS,
      retryMaxMs: vars.KAFKA_RETRY_MAX_MS,
      partitionsConcurrency: vars.KAFKA_PARTITIONS_CONCURRENCY,
    },
    activity: {
      templates: {
        ...DEFAULT_ACTIVITY_TEMPLATES,
        ...parseTemplates(vars.ACTIVITY_NOTIFICATION_TEMPLATES),
      },
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

/** Validated in `crossFieldProblems`; here it is known to be well-formed. */
function parseTemplates(json: string | undefined): Record<string, ActivityTemplate> {
  if (!json) return {};
  const parsed = JSON.parse(json) as Record<string, { content: string; actionUrl?: string | null }>;
  return Object.fromEntries(
    Object.entries(parsed).map(([type, template]) => [
      type,
      { content: template.content, actionUrl: template.actionUrl ?? null },
    ]),
  );
}

function templateProblems(json: string | undefined): string[] {
  if (!json) return [];
  const problem = (what: string) => [`ACTIVITY_NOTIFICATION_TEMPLATES: ${what}`];
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return problem('must be JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return problem('must be an object of event type → template');
  }
  return Object.entries(parsed).flatMap(([type, template]: [string, unknown]) => {
    const { content, actionUrl } = (template ?? {}) as { content?: unknown; actionUrl?: unknown };
    if (!/^[A-Z][A-Z0-9_]*$/.test(type))
      return problem(`event type "${type}" must be UPPER_SNAKE_CASE`);
    if (typeof content !== 'string' || content.trim() === '') {
      return problem(`${type}.content must be a non-empty string`);
    }
    if (actionUrl !== undefined && actionUrl !== null && typeof actionUrl !== 'string') {
      return problem(`${type}.actionUrl must be a string or null`);
    }
    return [];
  });
}

function crossFieldProblems(vars: EnvironmentVariables): string[] {
  const problems: string[] = [...templateProblems(vars.ACTIVITY_NOTIFICATION_TEMPLATES)];
  if (vars.KAFKA_RETRY_INITIAL_MS > vars.KAFKA_RETRY_MAX_MS) {
    problems.push('KAFKA_RETRY_INITIAL_MS: must not exceed KAFKA_RETRY_MAX_MS');
  }
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
