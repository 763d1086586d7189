import { IsBoolean, IsIn, IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { KafkaTopics, SignalKafkaConsumerDefaults } from '@signal/core';
import { ToBoolean } from '../../common/to-boolean.transform';
import { KAFKA_CLIENTS, KafkaClientName } from '../../kafka';
import { IsHostPortList, ToInteger } from '../env-validators';
import { EnvVars, invalid, Parsed, readVariables, valid } from '../parsed';

export interface KafkaSettings {
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
}

export class KafkaVariables {
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
}

export function parseKafka(env: EnvVars): Parsed<KafkaSettings> {
  const read = readVariables(KafkaVariables, env);
  if (!read.ok) return read;
  const vars = read.value;
  if (vars.KAFKA_RETRY_INITIAL_MS > vars.KAFKA_RETRY_MAX_MS) {
    return invalid(['KAFKA_RETRY_INITIAL_MS: must not exceed KAFKA_RETRY_MAX_MS']);
  }
  return valid({
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
  });
}
