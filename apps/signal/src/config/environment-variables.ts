import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { KafkaTopics, SignalKafkaConsumerDefaults } from '@signal/core';
import { KAFKA_CLIENTS, KafkaClientName } from '../kafka';
import { ToBoolean } from '../common/to-boolean.transform';
import { IsHostPortList, IsUrlWithScheme, ToInteger } from './env-validators';

/**
 * Every environment variable the Signal app reads, with its default.
 * `.env.example` documents the same list; keep them together.
 */
export class EnvironmentVariables {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV = 'development';

  /** 0 picks a free port (tests). */
  @ToInteger()
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /** Time a client has to send a whole request, body included (ms); 408 after it. */
  @ToInteger()
  @IsInt()
  @Min(1000)
  @Max(600000)
  HTTP_REQUEST_TIMEOUT_MS = 30000;

  /** Time a client has to send the request line and headers (ms); at most HTTP_REQUEST_TIMEOUT_MS. */
  @ToInteger()
  @IsInt()
  @Min(1000)
  @Max(600000)
  HTTP_HEADERS_TIMEOUT_MS = 10000;

  @IsIn(['error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL = 'log';

  @IsUrlWithScheme(['postgres', 'postgresql'])
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/signal';

  @Matches(/^[a-z_][a-z0-9_]*$/, { message: 'must be a lower-case PostgreSQL identifier' })
  @MaxLength(63)
  DATABASE_SCHEMA = 'public';

  @ToInteger()
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE = 10;

  /** Longest wait for a pooled connection (a new one included) or a Producer batch slot (ms); then 503. */
  @ToInteger()
  @IsInt()
  @Min(100)
  @Max(60000)
  DATABASE_CONNECT_TIMEOUT_MS = 5000;

  @ToBoolean({ lenient: true })
  @IsBoolean()
  KAFKA_ENABLED = true;

  @IsHostPortList()
  KAFKA_BROKERS = '127.0.0.1:9092';

  /** The client the consumer transport and the PHX hand-off use (README: "Kafka client"). */
  @IsIn(KAFKA_CLIENTS)
  KAFKA_CLIENT: KafkaClientName = 'kafkajs';

  @IsString()
  @Matches(/^[A-Za-z0-9._-]+$/, { message: 'may contain only letters, digits, ".", "_" and "-"' })
  APP_ENV_KAFKA_CLIENT_ID: string = SignalKafkaConsumerDefaults.CLIENT_ID;

  @IsString()
  @Matches(/^[A-Za-z0-9._-]+$/, { message: 'may contain only letters, digits, ".", "_" and "-"' })
  APP_ENV_KAFKA_GROUP_ID: string = SignalKafkaConsumerDefaults.GROUP_ID;

  @ToBoolean({ lenient: true })
  @IsBoolean()
  RABBITMQ_ENABLED = true;

  @IsUrlWithScheme(['amqp', 'amqps'])
  RABBITMQ_URL = 'amqp://guest:guest@127.0.0.1:5672';

  @Matches(/^[A-Za-z0-9._:-]{1,255}$/, {
    message: 'must be a queue name of letters, digits, ".", "_", ":" and "-"',
  })
  RABBITMQ_QUEUE = 'signal.legacy-notifications';

  @ToInteger()
  @IsInt()
  @Min(1)
  @Max(1000)
  RABBITMQ_PREFETCH = 20;

  /** Topic pattern binding RABBITMQ_QUEUE to `notifications.exchange` (legacy V1 events). */
  @Matches(/^(?:[A-Za-z0-9_-]+|\*|#)(?:\.(?:[A-Za-z0-9_-]+|\*|#))*$/, {
    message: 'must be a topic pattern of "."-separated words, "*" or "#", e.g. loaphuong.#',
  })
  @MaxLength(255)
  LEGACY_RABBIT_BINDING_PATTERN = '#';

  /** Producer the legacy adapter sends to; default Signal's own, http://127.0.0.1:$PORT. */
  @IsOptional()
  @IsUrlWithScheme(['http', 'https'])
  LEGACY_PHX_PRODUCER_URL?: string;

  /** `x-api-key` of the legacy adapter's Producer calls; default the first of SIGNAL_API_KEYS with scope producer. */
  @IsOptional()
  @Matches(/^[^,\s]{16,}$/, { message: 'must be a key of at least 16 characters, without spaces' })
  LEGACY_PHX_API_KEY?: string;

  /** `pushNotiMobile.app` of legacy pushes: the app the V1 mobile app registers its devices under. */
  @Matches(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'must be 1-64 letters, digits, ".", "_" or "-"' })
  LEGACY_PUSH_APP = 'LEGACY_V1';

  /** How often scheduled legacy events are checked for being due (ms). */
  @ToInteger()
  @IsInt()
  @Min(100)
  @Max(60000)
  LEGACY_SCHEDULE_POLL_MS = 1000;

  /**
   * Days a delivered legacy event's id is remembered; a copy arriving later is delivered again.
   * Longer than any publisher's or broker's redelivery window.
   */
  @ToInteger()
  @IsInt()
  @Min(1)
  @Max(3650)
  LEGACY_PROCESSED_RETENTION_DAYS = 30;

  /** Target users of one legacy event sent to the Producer at the same time. */
  @ToInteger()
  @IsInt()
  @Min(1)
  @Max(64)
  LEGACY_DELIVERY_CONCURRENCY = 8;

  @IsUrlWithScheme(['redis', 'rediss'])
  REDIS_URL = 'redis://127.0.0.1:6379';

  @ToInteger()
  @IsInt()
  @Min(100)
  @Max(30000)
  HEALTH_CHECK_TIMEOUT_MS = 2000;

  @ToInteger()
  @IsInt()
  @Min(1000)
  @Max(120000)
  SHUTDOWN_TIMEOUT_MS = 10000;

  /** HS256 secret of user JWTs. One of this and SIGNAL_JWT_PUBLIC_KEY; required (see SIGNAL_DEV_CREDENTIALS). */
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'must be at least 16 characters' })
  SIGNAL_JWT_SECRET?: string;

  /** RS256 public key (PEM; `\n` escapes allowed) of user JWTs. */
  @IsOptional()
  @Matches(/-----BEGIN (RSA )?PUBLIC KEY-----/, { message: 'must be a PEM public key' })
  SIGNAL_JWT_PUBLIC_KEY?: string;

  /**
   * The HS256 secret being rotated out: tokens it signed are still accepted while callers move
   * to SIGNAL_JWT_SECRET. Only with SIGNAL_JWT_SECRET.
   */
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'must be at least 16 characters' })
  SIGNAL_JWT_PREVIOUS_SECRET?: string;

  /** The RS256 public key being rotated out (PEM). Only with SIGNAL_JWT_PUBLIC_KEY. */
  @IsOptional()
  @Matches(/-----BEGIN (RSA )?PUBLIC KEY-----/, { message: 'must be a PEM public key' })
  SIGNAL_JWT_PREVIOUS_PUBLIC_KEY?: string;

  /** When set, a user JWT must carry exactly this `iss`. */
  @IsOptional()
  @Matches(/^\S{1,1000}$/, {
    message: 'must be the exact "iss" value: 1-1000 characters, no spaces',
  })
  SIGNAL_JWT_ISSUER?: string;

  /** When set, a user JWT's `aud` must be (or, as a list, include) this value. */
  @IsOptional()
  @Matches(/^\S{1,1000}$/, {
    message: 'must be the exact "aud" value: 1-1000 characters, no spaces',
  })
  SIGNAL_JWT_AUDIENCE?: string;

  /**
   * Comma-separated API keys accepted in `x-api-key`, each `key` (every scope) or
   * `key:scope+scope` (emit, producer, admin); checked by `apiKeyListProblems`. Required (see
   * SIGNAL_DEV_CREDENTIALS).
   */
  @IsOptional()
  @IsString()
  SIGNAL_API_KEYS?: string;

  /**
   * Outside production, use the well-known development JWT secret and API key for whichever of
   * SIGNAL_JWT_SECRET / SIGNAL_API_KEYS is unset. Off: a missing one stops the process.
   */
  @ToBoolean({ lenient: true })
  @IsBoolean()
  SIGNAL_DEV_CREDENTIALS = false;

  /** Topic of activity notifications; its dead letters go to `<topic>.dlq`. */
  @Matches(/^[A-Za-z0-9._-]{1,200}$/, { message: 'must be a Kafka topic name' })
  KAFKA_TOPIC_ACTIVITY_NOTIFICATION: string = KafkaTopics.SIGNAL_ACTIVITY_NOTIFICATION;

  /** Where a new consumer group starts: false = the latest offset. */
  @ToBoolean({ lenient: true })
  @IsBoolean()
  KAFKA_FROM_BEGINNING = false;

  /** Failures of one message (other than transient ones) before it goes to the dead-letter topic. */
  @ToInteger()
  @IsInt()
  @Min(1)
  @Max(100)
  KAFKA_MAX_ATTEMPTS = 5;

  @ToInteger()
  @IsInt()
  @Min(10)
  @Max(60000)
  KAFKA_RETRY_INITIAL_MS = 200;

  @ToInteger()
  @IsInt()
  @Min(100)
  @Max(300000)
  KAFKA_RETRY_MAX_MS = 5000;

  /** Partitions processed at the same time by one instance. */
  @ToInteger()
  @IsInt()
  @Min(1)
  @Max(64)
  KAFKA_PARTITIONS_CONCURRENCY = 3;

  /**
   * How long the group waits for a silent member (a crashed instance) before its partitions go to
   * another one. The broker accepts 6 s to 30 min by default (`group.min/max.session.timeout.ms`).
   */
  @ToInteger()
  @IsInt()
  @Min(6000)
  @Max(1800000)
  KAFKA_SESSION_TIMEOUT_MS = 30000;

  /** JSON `{ "EVENT_TYPE": { "content": "...{actor.name}...", "actionUrl": "/x/{data.id}" | null } }`, merged over the built-in templates. */
  @IsOptional()
  @IsString()
  ACTIVITY_NOTIFICATION_TEMPLATES?: string;

  /** Redis key prefix of the Socket.IO adapter; instances (and WebSocketEmitter) sharing it share rooms. */
  @Matches(/^[A-Za-z0-9._:-]{1,100}$/, {
    message: 'must be 1-100 letters, digits, ".", "_", ":" or "-"',
  })
  SOCKET_IO_REDIS_KEY = 'socket.io';

  @ToInteger()
  @IsInt()
  @Min(1024)
  @Max(1048576)
  SIGNAL_EMIT_MAX_PAYLOAD_BYTES = 65536;

  /** Most missed notifications replayed at a reconnect; the rest through REST catch-up. */
  @ToInteger()
  @IsInt()
  @Min(1)
  @Max(10000)
  SIGNAL_REPLAY_LIMIT = 500;

  /**
   * Socket.IO connections one instance keeps open; above it a new socket gets connect_error
   * SERVER_BUSY. Default: from the process's open-file limit, leaving headroom.
   */
  @IsOptional()
  @ToInteger()
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  SIGNAL_MAX_CONNECTIONS?: number;

  /**
   * A reconnect also replays what was created this long before the last notification the client
   * saw, and a redelivered message's rows this recent are pushed again: with several partitions
   * and instances a row can reach sockets after a newer one, or (its instance crashed) only when
   * its message is redelivered. At least the Kafka session timeout, plus margin.
   */
  @ToInteger()
  @IsInt()
  @Min(0)
  @Max(3600000)
  SIGNAL_REPLAY_OVERLAP_MS = 60000;

  /** Producer → Consumer handoff topic of PHX push; its dead letters go to `<topic>.dlq`. */
  @Matches(/^[A-Za-z0-9._-]{1,200}$/, { message: 'must be a Kafka topic name' })
  KAFKA_TOPIC_PHX_PUSH: string = KafkaTopics.SIGNAL_PHX_PUSH_ACCEPTED;

  /** How often the outbox relay looks for accepted requests whose Kafka handoff was lost. */
  @ToInteger()
  @IsInt()
  @Min(100)
  @Max(600000)
  PHX_OUTBOX_INTERVAL_MS = 5000;

  /** Producer requests waiting for a batch slot; beyond it they get 503 OVERLOADED. */
  @ToInteger()
  @IsInt()
  @Min(1)
  @Max(100000)
  PHX_PRODUCER_QUEUE_LIMIT = 2000;

  /**
   * What the Producer does with an action code that has no notification setting: `deliver` on
   * every channel the request carries (seed 004: by default every channel is sent), or `skip`.
   */
  @IsIn(['deliver', 'skip'])
  PHX_UNCONFIGURED_ACTION_CODES: 'deliver' | 'skip' = 'deliver';

  /** Age after which an accepted request without a handoff is handed off again. */
  @ToInteger()
  @IsInt()
  @Min(100)
  @Max(3600000)
  PHX_OUTBOX_AFTER_MS = 10000;

  /** Attempts of one channel of one notification before a transient failure is recorded as failed. */
  @ToInteger()
  @IsInt()
  @Min(1)
  @Max(100)
  PHX_DELIVERY_MAX_ATTEMPTS = 5;

  /**
   * How long a claimed push or e-mail is left to its sender before another attempt may take it
   * (crash recovery). Must exceed the longest send (checked at boot, from PUSH_TIMEOUT_MS and
   * SMTP_TIMEOUT_MS).
   */
  @ToInteger()
  @IsInt()
  @Min(1000)
  @Max(3600000)
  PHX_DELIVERY_LEASE_MS = 180000;

  /** Wait before the second attempt of a channel that failed transiently; doubles each time. */
  @ToInteger()
  @IsInt()
  @Min(10)
  @Max(3600000)
  PHX_RETRY_INITIAL_MS = 1000;

  /** Longest wait between two attempts of a channel. */
  @ToInteger()
  @IsInt()
  @Min(10)
  @Max(86400000)
  PHX_RETRY_MAX_MS = 60000;

  /** Requests per push and e-mail chunk (up to 4 chunks in flight); also the SMTP pool size. */
  @ToInteger()
  @IsInt()
  @Min(1)
  @Max(256)
  PHX_DELIVERY_CONCURRENCY = 16;

  /** Mobile push provider: FCM HTTP v1, a generic webhook, or none (push is recorded as failed). */
  @IsIn(['fcm', 'webhook', 'none'])
  PUSH_PROVIDER = 'none';

  @IsOptional()
  @IsUrlWithScheme(['http', 'https'])
  PUSH_WEBHOOK_URL?: string;

  /** HMAC-SHA256 key of the webhook's `x-signal-signature` header. */
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'must be at least 16 characters' })
  PUSH_WEBHOOK_SECRET?: string;

  /** The Firebase service account key file's JSON (project_id, client_email, private_key). */
  @IsOptional()
  @IsString()
  FCM_SERVICE_ACCOUNT_JSON?: string;

  @IsUrlWithScheme(['http', 'https'])
  FCM_BASE_URL = 'https://fcm.googleapis.com';

  /** OAuth2 token endpoint; overrides the service account's `token_uri`. */
  @IsUrlWithScheme(['http', 'https'])
  FCM_TOKEN_URL = 'https://oauth2.googleapis.com/token';

  @ToInteger()
  @IsInt()
  @Min(100)
  @Max(120000)
  PUSH_TIMEOUT_MS = 5000;

  @IsUrlWithScheme(['smtp', 'smtps'])
  SMTP_URL = 'smtp://127.0.0.1:1025';

  /** Sender of PHX e-mails, e.g. `Signal <no-reply@example.com>`. */
  @IsString()
  @MinLength(3)
  SMTP_FROM = 'Signal <no-reply@signal.local>';

  @ToInteger()
  @IsInt()
  @Min(100)
  @Max(120000)
  SMTP_TIMEOUT_MS = 10000;

  /** Serve the Notification Center demo page at `/demo`, which mints a token for any user id asked for. */
  @ToBoolean({ lenient: true })
  @IsBoolean()
  DEMO_ENABLED = false;

  /** Lets DEMO_ENABLED work with NODE_ENV=production (a throwaway demo deployment only). */
  @ToBoolean({ lenient: true })
  @IsBoolean()
  DEMO_ALLOW_IN_PRODUCTION = false;

  /**
   * The demo page links to this mail catcher's web UI, where the e-mails SMTP_URL caught are
   * read; `none` hides the link. Default: the local stack's MailDev outside production, none in it.
   */
  @IsOptional()
  @ValidateIf((vars: EnvironmentVariables) => vars.DEMO_MAIL_CATCHER_URL !== 'none')
  @IsUrlWithScheme(['http', 'https'], {
    message: 'must be an http(s) URL of the mail catcher web UI, or none',
  })
  DEMO_MAIL_CATCHER_URL?: string;
}
