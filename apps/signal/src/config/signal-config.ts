import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import {
  ActivityTemplate,
  DEFAULT_ACTIVITY_TEMPLATES,
} from '../kafka-notification/templates/activity-templates';
import {
  legacyRabbitSettings,
  LegacyRabbitSettings,
  legacyRedirectProblems,
} from '../legacy-rabbit/legacy-rabbit.settings';
import { ApiKey, apiKeyListProblems, parseApiKeys } from '../auth/api-keys';
import { validationViolations } from '../common/validation-violations';
import { KafkaClientName } from '../kafka';
import { longestSendMs } from '../phx-push/channels/send-time';
import { EnvironmentVariables } from './environment-variables';
import { defaultMaxConnections } from './socket-connection-cap';
import { withoutEmptyValues } from './env-validators';

/** Used outside production with SIGNAL_DEV_CREDENTIALS=true for what is unset; logged loudly. */
export const DEVELOPMENT_JWT_SECRET = 'signal-development-jwt-secret';
export const DEVELOPMENT_API_KEY = 'signal-development-api-key';

/** How user JWTs are verified. */
export interface JwtVerification {
  algorithm: 'HS256' | 'RS256';
  /**
   * HS256 secrets or RS256 PEM public keys, all of the one algorithm: the current key, then the
   * previous one while a rotation lasts.
   */
  keys: string[];
  /** The `iss` every token must carry; null: not checked. */
  issuer: string | null;
  /** The `aud` every token must carry (or include); null: not checked. */
  audience: string | null;
}

export type LogLevelName = 'error' | 'warn' | 'log' | 'debug' | 'verbose';

/** Typed, validated settings of the Signal app; injected by class token. */
export class SignalConfig {
  readonly env!: 'development' | 'production' | 'test';
  readonly http!: { port: number; requestTimeoutMs: number; headersTimeoutMs: number };
  readonly logLevel!: LogLevelName;
  readonly database!: {
    url: string;
    schema: string;
    poolSize: number;
    connectTimeoutMs: number;
  };
  readonly kafka!: {
    enabled: boolean;
    client: KafkaClientName;
    brokers: string[];
    clientId: string;
    groupId: string;
    activityTopic: string;
    fromBeginning: boolean;
    maxAttempts: number;
    retryInitialMs: number;
    retryMaxMs: number;
    partitionsConcurrency: number;
    sessionTimeoutMs: number;
  };
  readonly activity!: { templates: Record<string, ActivityTemplate> };
  readonly rabbitmq!: { enabled: boolean; url: string; queue: string; prefetch: number };
  readonly legacy!: LegacyRabbitSettings;
  readonly redis!: { url: string };
  readonly health!: { timeoutMs: number };
  readonly shutdown!: { timeoutMs: number };
  readonly auth!: { jwt: JwtVerification; apiKeys: ApiKey[]; developmentDefaults: string[] };
  readonly gateway!: {
    maxPayloadBytes: number;
    replayLimit: number;
    replayOverlapMs: number;
    redisKey: string;
    /** Socket.IO connections this instance accepts; new ones above get SERVER_BUSY. */
    maxConnections: number;
  };
  readonly phx!: {
    topic: string;
    unconfiguredActionCodes: UnconfiguredActionCodePolicy;
    producerQueueLimit: number;
    outboxIntervalMs: number;
    outboxAfterMs: number;
    deliveryMaxAttempts: number;
    deliveryLeaseMs: number;
    retryInitialMs: number;
    retryMaxMs: number;
    deliveryConcurrency: number;
  };
  readonly push!: {
    provider: PushProviderSettings;
    timeoutMs: number;
  };
  readonly smtp!: { url: string; from: string; timeoutMs: number };
  readonly demo!: DemoSettings;
}

/** What the Producer does with an action code that has no notification setting. */
export type UnconfiguredActionCodePolicy = EnvironmentVariables['PHX_UNCONFIGURED_ACTION_CODES'];

/**
 * The demo page signs its tokens with the current HS256 secret the app verifies user tokens
 * with, and the issuer and audience it checks.
 */
export type DemoSettings =
  | { enabled: false }
  | {
      enabled: true;
      jwtSecret: string;
      issuer: string | null;
      audience: string | null;
      /** Web UI of the mail catcher the page links to; null: no link. */
      mailCatcherUrl: string | null;
    };

/** MailDev's web UI as `npm run stack:up` starts it. */
export const LOCAL_MAIL_CATCHER_URL = 'http://127.0.0.1:1080';

export interface FcmServiceAccount {
  project_id: string;
  client_email: string;
  private_key: string;
}

export type PushProviderSettings =
  | { kind: 'none' }
  | { kind: 'webhook'; url: string; secret: string | null }
  | { kind: 'fcm'; serviceAccount: FcmServiceAccount; baseUrl: string; tokenUrl: string };

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = ConfigValidationError.name;
  }
}

/** Validates the environment once, at boot; throws listing every bad variable. */
export function loadSignalConfig(env: NodeJS.ProcessEnv): SignalConfig {
  const vars = plainToInstance(EnvironmentVariables, withoutEmptyValues(env), {
    exposeDefaultValues: true,
  });
  const errors = validateSync(vars, { skipMissingProperties: false });
  const problems = [
    // Values are left out on purpose: URLs and keys may carry secrets.
    ...validationViolations(errors).map(({ path, messages }) => `${path}: ${messages.join('; ')}`),
    ...crossFieldProblems(vars),
    ...legacyRedirectProblems(env),
  ];
  if (problems.length > 0) throw new ConfigValidationError(problems);
  const apiKeys = parseApiKeys(vars.SIGNAL_API_KEYS ?? DEVELOPMENT_API_KEY);
  const jwt = jwtVerification(vars);

  return {
    env: vars.NODE_ENV as SignalConfig['env'],
    http: {
      port: vars.PORT,
      requestTimeoutMs: vars.HTTP_REQUEST_TIMEOUT_MS,
      headersTimeoutMs: vars.HTTP_HEADERS_TIMEOUT_MS,
    },
    logLevel: vars.LOG_LEVEL as LogLevelName,
    database: {
      url: vars.DATABASE_URL,
      schema: vars.DATABASE_SCHEMA,
      poolSize: vars.DATABASE_POOL_SIZE,
      connectTimeoutMs: vars.DATABASE_CONNECT_TIMEOUT_MS,
    },
    kafka: {
      enabled: vars.KAFKA_ENABLED,
      client: vars.KAFKA_CLIENT,
      brokers: vars.KAFKA_BROKERS.split(',').map((broker) => broker.trim()),
      clientId: vars.APP_ENV_KAFKA_CLIENT_ID,
      groupId: vars.APP_ENV_KAFKA_GROUP_ID,
      activityTopic: vars.KAFKA_TOPIC_ACTIVITY_NOTIFICATION,
      fromBeginning: vars.KAFKA_FROM_BEGINNING,
      maxAttempts: vars.KAFKA_MAX_ATTEMPTS,
      retryInitialMs: vars.KAFKA_RETRY_INITIAL_MS,
      retryMaxMs: vars.KAFKA_RETRY_MAX_MS,
      partitionsConcurrency: vars.KAFKA_PARTITIONS_CONCURRENCY,
      sessionTimeoutMs: vars.KAFKA_SESSION_TIMEOUT_MS,
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
    legacy: legacyRabbitSettings(vars, env, legacyProducerKey(apiKeys)),
    redis: { url: vars.REDIS_URL },
    health: { timeoutMs: vars.HEALTH_CHECK_TIMEOUT_MS },
    shutdown: { timeoutMs: vars.SHUTDOWN_TIMEOUT_MS },
    auth: {
      jwt,
      apiKeys,
      // Validated: whatever is unset here is unset with SIGNAL_DEV_CREDENTIALS, outside production.
      developmentDefaults: [
        ...(vars.SIGNAL_JWT_SECRET || vars.SIGNAL_JWT_PUBLIC_KEY ? [] : ['SIGNAL_JWT_SECRET']),
        ...(vars.SIGNAL_API_KEYS ? [] : ['SIGNAL_API_KEYS']),
      ],
    },
    gateway: {
      maxPayloadBytes: vars.SIGNAL_EMIT_MAX_PAYLOAD_BYTES,
      replayLimit: vars.SIGNAL_REPLAY_LIMIT,
      replayOverlapMs: vars.SIGNAL_REPLAY_OVERLAP_MS,
      redisKey: vars.SOCKET_IO_REDIS_KEY,
      maxConnections: vars.SIGNAL_MAX_CONNECTIONS ?? defaultMaxConnections(),
    },
    phx: {
      topic: vars.KAFKA_TOPIC_PHX_PUSH,
      unconfiguredActionCodes: vars.PHX_UNCONFIGURED_ACTION_CODES,
      producerQueueLimit: vars.PHX_PRODUCER_QUEUE_LIMIT,
      outboxIntervalMs: vars.PHX_OUTBOX_INTERVAL_MS,
      outboxAfterMs: vars.PHX_OUTBOX_AFTER_MS,
      deliveryMaxAttempts: vars.PHX_DELIVERY_MAX_ATTEMPTS,
      deliveryLeaseMs: vars.PHX_DELIVERY_LEASE_MS,
      retryInitialMs: vars.PHX_RETRY_INITIAL_MS,
      retryMaxMs: vars.PHX_RETRY_MAX_MS,
      deliveryConcurrency: vars.PHX_DELIVERY_CONCURRENCY,
    },
    push: { provider: pushProviderSettings(vars), timeoutMs: vars.PUSH_TIMEOUT_MS },
    smtp: { url: vars.SMTP_URL, from: vars.SMTP_FROM, timeoutMs: vars.SMTP_TIMEOUT_MS },
    // Validated: with DEMO_ENABLED the algorithm is HS256, and the first key the current secret.
    demo: vars.DEMO_ENABLED
      ? {
          enabled: true,
          jwtSecret: jwt.keys[0],
          issuer: jwt.issuer,
          audience: jwt.audience,
          mailCatcherUrl: mailCatcherUrl(vars),
        }
      : { enabled: false },
  };
}

/** A production deployment has no local catcher: there only a URL given explicitly is linked. */
function mailCatcherUrl(vars: EnvironmentVariables): string | null {
  if (vars.DEMO_MAIL_CATCHER_URL === 'none') return null;
  if (vars.DEMO_MAIL_CATCHER_URL !== undefined) return vars.DEMO_MAIL_CATCHER_URL;
  return vars.NODE_ENV === 'production' ? null : LOCAL_MAIL_CATCHER_URL;
}

/** Validated in `crossFieldProblems`: a previous key only beside a current one of its algorithm. */
function jwtVerification(vars: EnvironmentVariables): JwtVerification {
  const claims = {
    issuer: vars.SIGNAL_JWT_ISSUER ?? null,
    audience: vars.SIGNAL_JWT_AUDIENCE ?? null,
  };
  if (vars.SIGNAL_JWT_PUBLIC_KEY) {
    const pems = [vars.SIGNAL_JWT_PUBLIC_KEY, vars.SIGNAL_JWT_PREVIOUS_PUBLIC_KEY];
    return {
      algorithm: 'RS256',
      keys: pems.filter((pem) => pem !== undefined).map((pem) => pem.replace(/\\n/g, '\n')),
      ...claims,
    };
  }
  const secrets = [
    vars.SIGNAL_JWT_SECRET ?? DEVELOPMENT_JWT_SECRET,
    vars.SIGNAL_JWT_PREVIOUS_SECRET,
  ];
  return { algorithm: 'HS256', keys: secrets.filter((secret) => secret !== undefined), ...claims };
}

/** Validated in `crossFieldProblems`; here every needed variable is known to be set and sound. */
function pushProviderSettings(vars: EnvironmentVariables): PushProviderSettings {
  switch (vars.PUSH_PROVIDER) {
    case 'webhook':
      return {
        kind: 'webhook',
        url: vars.PUSH_WEBHOOK_URL!,
        secret: vars.PUSH_WEBHOOK_SECRET ?? null,
      };
    case 'fcm':
      return {
        kind: 'fcm',
        serviceAccount: parseServiceAccount(vars.FCM_SERVICE_ACCOUNT_JSON!) as FcmServiceAccount,
        baseUrl: vars.FCM_BASE_URL,
        tokenUrl: vars.FCM_TOKEN_URL,
      };
    default:
      return { kind: 'none' };
  }
}

/** The service account object, or a string saying what is wrong with it. */
function parseServiceAccount(json: string): FcmServiceAccount | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return "must be the service account key file's JSON";
  }
  const account = (parsed ?? {}) as Partial<Record<keyof FcmServiceAccount, unknown>>;
  const missing = (['project_id', 'client_email', 'private_key'] as const).filter(
    (field) => typeof account[field] !== 'string' || account[field] === '',
  );
  if (missing.length > 0) return `lacks ${missing.join(', ')}`;
  if (!String(account.private_key).includes('PRIVATE KEY-----')) {
    return 'private_key must be a PEM private key';
  }
  return account as FcmServiceAccount;
}

function pushProblems(vars: EnvironmentVariables): string[] {
  if (vars.PUSH_PROVIDER === 'webhook' && !vars.PUSH_WEBHOOK_URL) {
    return ['PUSH_WEBHOOK_URL: required when PUSH_PROVIDER is webhook'];
  }
  if (vars.PUSH_PROVIDER === 'fcm') {
    if (!vars.FCM_SERVICE_ACCOUNT_JSON) {
      return ['FCM_SERVICE_ACCOUNT_JSON: required when PUSH_PROVIDER is fcm'];
    }
    const account = parseServiceAccount(vars.FCM_SERVICE_ACCOUNT_JSON);
    if (typeof account === 'string') return [`FCM_SERVICE_ACCOUNT_JSON: ${account}`];
  }
  return [];
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
  const problems: string[] = [
    ...templateProblems(vars.ACTIVITY_NOTIFICATION_TEMPLATES),
    ...pushProblems(vars),
  ];
  if (vars.KAFKA_RETRY_INITIAL_MS > vars.KAFKA_RETRY_MAX_MS) {
    problems.push('KAFKA_RETRY_INITIAL_MS: must not exceed KAFKA_RETRY_MAX_MS');
  }
  if (vars.HTTP_HEADERS_TIMEOUT_MS > vars.HTTP_REQUEST_TIMEOUT_MS) {
    problems.push('HTTP_HEADERS_TIMEOUT_MS: must not exceed HTTP_REQUEST_TIMEOUT_MS');
  }
  if (vars.KAFKA_ENABLED && vars.SIGNAL_REPLAY_OVERLAP_MS < vars.KAFKA_SESSION_TIMEOUT_MS) {
    // A crashed instance's messages come back only after the session timeout; rows older than
    // the overlap would then be pushed to nobody and replayed to nobody.
    problems.push('SIGNAL_REPLAY_OVERLAP_MS: must be at least KAFKA_SESSION_TIMEOUT_MS');
  }
  if (vars.PHX_RETRY_INITIAL_MS > vars.PHX_RETRY_MAX_MS) {
    problems.push('PHX_RETRY_INITIAL_MS: must not exceed PHX_RETRY_MAX_MS');
  }
  problems.push(...leaseProblems(vars));
  if (vars.SIGNAL_JWT_SECRET && vars.SIGNAL_JWT_PUBLIC_KEY) {
    problems.push('SIGNAL_JWT_SECRET: set either it or SIGNAL_JWT_PUBLIC_KEY, not both');
  }
  return [
    ...problems,
    ...previousJwtKeyProblems(vars),
    ...credentialProblems(vars),
    ...(vars.SIGNAL_API_KEYS ? apiKeyListProblems(vars.SIGNAL_API_KEYS) : []),
    ...legacyKeyProblems(vars),
    ...demoProblems(vars),
  ];
}

/**
 * The legacy adapter calls the Producer: by default with the first key allowed to. Without
 * RABBITMQ_ENABLED it calls nothing, and any key will do (`legacyKeyProblems` checks the rest).
 */
function legacyProducerKey(apiKeys: ApiKey[]): string {
  return (apiKeys.find((apiKey) => apiKey.scopes.includes('producer')) ?? apiKeys[0]).key;
}

function legacyKeyProblems(vars: EnvironmentVariables): string[] {
  if (!vars.RABBITMQ_ENABLED || !vars.SIGNAL_API_KEYS) return [];
  if (apiKeyListProblems(vars.SIGNAL_API_KEYS).length > 0) return [];
  const keys = parseApiKeys(vars.SIGNAL_API_KEYS);
  if (vars.LEGACY_PHX_API_KEY === undefined) {
    return keys.some((apiKey) => apiKey.scopes.includes('producer'))
      ? []
      : [
          'LEGACY_PHX_API_KEY: not set, and no key of SIGNAL_API_KEYS has scope producer, which the legacy adapter needs to call the Producer (add one, or set LEGACY_PHX_API_KEY)',
        ];
  }
  // Signal's own Producer: the key must be one of ours that may call it.
  const own = keys.find((apiKey) => apiKey.key === vars.LEGACY_PHX_API_KEY);
  return vars.LEGACY_PHX_PRODUCER_URL === undefined && own && !own.scopes.includes('producer')
    ? ['LEGACY_PHX_API_KEY: is a key of SIGNAL_API_KEYS without scope producer']
    : [];
}

/** SPEC §6: the development credentials only outside production, and only when asked for. */
function credentialProblems(vars: EnvironmentVariables): string[] {
  const production = vars.NODE_ENV === 'production';
  if (production && vars.SIGNAL_DEV_CREDENTIALS) {
    return ['SIGNAL_DEV_CREDENTIALS: refused in production, where every credential must be set'];
  }
  if (vars.SIGNAL_DEV_CREDENTIALS) return [];
  const why = production
    ? 'required in production'
    : 'required (or SIGNAL_DEV_CREDENTIALS=true for the well-known development value, never in production)';
  return [
    ...(vars.SIGNAL_JWT_SECRET || vars.SIGNAL_JWT_PUBLIC_KEY
      ? []
      : [`SIGNAL_JWT_SECRET: ${why}; or set SIGNAL_JWT_PUBLIC_KEY`]),
    ...(vars.SIGNAL_API_KEYS ? [] : [`SIGNAL_API_KEYS: ${why}`]),
  ];
}

/** A rotation replaces a key by another of the same algorithm: the previous one sits beside its successor. */
function previousJwtKeyProblems(vars: EnvironmentVariables): string[] {
  const rotations = [
    { previous: 'SIGNAL_JWT_PREVIOUS_SECRET', current: 'SIGNAL_JWT_SECRET', algorithm: 'HS256' },
    {
      previous: 'SIGNAL_JWT_PREVIOUS_PUBLIC_KEY',
      current: 'SIGNAL_JWT_PUBLIC_KEY',
      algorithm: 'RS256',
    },
  ] as const;
  return rotations.flatMap(({ previous, current, algorithm }) => {
    if (vars[previous] === undefined) return [];
    if (vars[current] === undefined) {
      return [
        `${previous}: only beside ${current}, the key it is being replaced by (a rotation keeps the algorithm, ${algorithm})`,
      ];
    }
    return vars[previous] === vars[current]
      ? [`${previous}: is ${current} itself; leave it empty when not rotating`]
      : [];
  });
}

/** A claim's lease must outlast its send, or the channel could be claimed and sent again meanwhile. */
function leaseProblems(vars: EnvironmentVariables): string[] {
  const longest = longestSendMs({
    pushProvider: vars.PUSH_PROVIDER,
    pushTimeoutMs: vars.PUSH_TIMEOUT_MS,
    smtpTimeoutMs: vars.SMTP_TIMEOUT_MS,
  });
  if (vars.PHX_DELIVERY_LEASE_MS > longest) return [];
  return [
    `PHX_DELIVERY_LEASE_MS: must exceed the longest a push or e-mail send can take here, ${longest} ms (from PUSH_TIMEOUT_MS, 4 times with PUSH_PROVIDER=fcm; SMTP_TIMEOUT_MS, 12 times for an e-mail queued behind the chunks in flight; plus the channel thread's 5000 ms stop grace): raise it, or lower PUSH_TIMEOUT_MS or SMTP_TIMEOUT_MS`,
  ];
}

function demoProblems(vars: EnvironmentVariables): string[] {
  if (!vars.DEMO_ENABLED) return [];
  const problems: string[] = [];
  if (vars.NODE_ENV === 'production' && !vars.DEMO_ALLOW_IN_PRODUCTION) {
    problems.push(
      'DEMO_ENABLED: refused in production, where it would let anyone act as any user (set DEMO_ALLOW_IN_PRODUCTION=true for a throwaway demo deployment)',
    );
  }
  if (vars.SIGNAL_JWT_PUBLIC_KEY) {
    problems.push(
      'DEMO_ENABLED: needs SIGNAL_JWT_SECRET (HS256); with SIGNAL_JWT_PUBLIC_KEY (RS256) the app has no private key to sign demo tokens',
    );
  }
  return problems;
}
