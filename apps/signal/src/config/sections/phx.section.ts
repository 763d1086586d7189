import { KafkaTopics } from '@signal/core';
import { IsIn, IsInt, IsOptional, Matches, Max, Min, ValidateIf } from 'class-validator';
import {
  DELIVERY_CHUNKS_IN_FLIGHT,
  longestSendMs,
  SendTimeouts,
} from '../../phx-push/channels/send-time';
import { ToInteger } from '../env-validators';
import { EnvVars, invalid, Parsed, readVariables, valid } from '../parsed';
import { PushSettings } from './push.section';
import { SmtpSettings } from './smtp.section';

const UNCONFIGURED_ACTION_CODE_POLICIES = ['deliver', 'skip'] as const;
/** What the Producer does with an action code that has no notification setting. */
export type UnconfiguredActionCodePolicy = (typeof UNCONFIGURED_ACTION_CODE_POLICIES)[number];

const DEFAULT_DELIVERY_CHUNK_SIZE = 16;

export interface PhxSettings {
  topic: string;
  unconfiguredActionCodes: UnconfiguredActionCodePolicy;
  producerQueueLimit: number;
  outboxIntervalMs: number;
  outboxAfterMs: number;
  deliveryMaxAttempts: number;
  deliveryLeaseMs: number;
  retryInitialMs: number;
  retryMaxMs: number;
  /** Requests per push and e-mail chunk (PHX_DELIVERY_CHUNK_SIZE); also the SMTP pool size. */
  deliveryChunkSize: number;
}

export class PhxVariables {
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
  @IsIn(UNCONFIGURED_ACTION_CODE_POLICIES)
  PHX_UNCONFIGURED_ACTION_CODES: UnconfiguredActionCodePolicy = 'deliver';

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

  /**
   * Requests per push and e-mail chunk, DELIVERY_CHUNKS_IN_FLIGHT (4) chunks sent at once; also
   * the SMTP pool size. Default 16.
   */
  @IsOptional()
  @ToInteger()
  @IsInt()
  @Min(1)
  @Max(256)
  PHX_DELIVERY_CHUNK_SIZE?: number;

  /** Deprecated name of PHX_DELIVERY_CHUNK_SIZE, read (with a warning) only while that is unset. */
  @ValidateIf((vars: PhxVariables) => vars.PHX_DELIVERY_CHUNK_SIZE === undefined)
  @IsOptional()
  @ToInteger()
  @IsInt()
  @Min(1)
  @Max(256)
  PHX_DELIVERY_CONCURRENCY?: number;
}

/** The sections whose timeouts bound a send; undefined while bad. */
export interface PhxDependencies {
  push: Pick<PushSettings, 'provider' | 'timeoutMs'> | undefined;
  smtp: Pick<SmtpSettings, 'timeoutMs'> | undefined;
}

/**
 * The PHX Producer's and Consumer's settings; the delivery lease is held to the longest send
 * once the push and SMTP sections are sound.
 */
export function parsePhx(env: EnvVars, { push, smtp }: PhxDependencies): Parsed<PhxSettings> {
  const read = readVariables(PhxVariables, env);
  if (!read.ok) return read;
  const vars = read.value;
  const problems = [
    ...(vars.PHX_RETRY_INITIAL_MS > vars.PHX_RETRY_MAX_MS
      ? ['PHX_RETRY_INITIAL_MS: must not exceed PHX_RETRY_MAX_MS']
      : []),
    ...(push && smtp
      ? leaseProblems(vars.PHX_DELIVERY_LEASE_MS, {
          pushProvider: push.provider.kind,
          pushTimeoutMs: push.timeoutMs,
          smtpTimeoutMs: smtp.timeoutMs,
        })
      : []),
  ];
  if (problems.length > 0) return invalid(problems);
  const chunkSize = deliveryChunkSize(vars);
  return valid(
    {
      topic: vars.KAFKA_TOPIC_PHX_PUSH,
      unconfiguredActionCodes: vars.PHX_UNCONFIGURED_ACTION_CODES,
      producerQueueLimit: vars.PHX_PRODUCER_QUEUE_LIMIT,
      outboxIntervalMs: vars.PHX_OUTBOX_INTERVAL_MS,
      outboxAfterMs: vars.PHX_OUTBOX_AFTER_MS,
      deliveryMaxAttempts: vars.PHX_DELIVERY_MAX_ATTEMPTS,
      deliveryLeaseMs: vars.PHX_DELIVERY_LEASE_MS,
      retryInitialMs: vars.PHX_RETRY_INITIAL_MS,
      retryMaxMs: vars.PHX_RETRY_MAX_MS,
      deliveryChunkSize: chunkSize.value,
    },
    chunkSize.warnings,
  );
}

/**
 * PHX_DELIVERY_CHUNK_SIZE was named PHX_DELIVERY_CONCURRENCY, which it never was: the sends at
 * once are DELIVERY_CHUNKS_IN_FLIGHT times it. The old name is read while deployments move.
 */
function deliveryChunkSize(vars: PhxVariables): { value: number; warnings: string[] } {
  const { PHX_DELIVERY_CHUNK_SIZE: chunkSize, PHX_DELIVERY_CONCURRENCY: formerName } = vars;
  if (formerName === undefined) {
    return { value: chunkSize ?? DEFAULT_DELIVERY_CHUNK_SIZE, warnings: [] };
  }
  if (chunkSize !== undefined) {
    return {
      value: chunkSize,
      warnings: [
        'PHX_DELIVERY_CONCURRENCY: ignored, PHX_DELIVERY_CHUNK_SIZE is set; remove the deprecated name',
      ],
    };
  }
  return {
    value: formerName,
    warnings: [
      `PHX_DELIVERY_CONCURRENCY: deprecated, read as PHX_DELIVERY_CHUNK_SIZE (requests per push and e-mail chunk; ${DELIVERY_CHUNKS_IN_FLIGHT} chunks are sent at once); rename it`,
    ],
  };
}

/** A claim's lease must outlast its send, or the channel could be claimed and sent again meanwhile. */
function leaseProblems(leaseMs: number, sendTimeouts: SendTimeouts): string[] {
  const longest = longestSendMs(sendTimeouts);
  if (leaseMs > longest) return [];
  return [
    `PHX_DELIVERY_LEASE_MS: must exceed the longest a push or e-mail send can take here, ${longest} ms (from PUSH_TIMEOUT_MS, 4 times with PUSH_PROVIDER=fcm; SMTP_TIMEOUT_MS, 12 times for an e-mail queued behind the chunks in flight; plus the channel thread's 5000 ms stop grace): raise it, or lower PUSH_TIMEOUT_MS or SMTP_TIMEOUT_MS`,
  ];
}
