import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { ToInteger } from '../env-validators';
import { EnvVars, invalid, Parsed, readVariables, valid } from '../parsed';
import { KafkaSettings } from './kafka.section';
import { defaultMaxConnections } from './socket-connection-cap';

export interface GatewaySettings {
  maxPayloadBytes: number;
  replayLimit: number;
  replayOverlapMs: number;
  redisKey: string;
  /** Socket.IO connections this instance accepts; new ones above get SERVER_BUSY. */
  maxConnections: number;
}

export class GatewayVariables {
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
}

/** The Socket.IO gateway's settings; the replay overlap is held to `kafka` once that is sound. */
export function parseGateway(
  env: EnvVars,
  kafka: Pick<KafkaSettings, 'enabled' | 'sessionTimeoutMs'> | undefined,
): Parsed<GatewaySettings> {
  const read = readVariables(GatewayVariables, env);
  if (!read.ok) return read;
  const vars = read.value;
  if (kafka?.enabled && vars.SIGNAL_REPLAY_OVERLAP_MS < kafka.sessionTimeoutMs) {
    // A crashed instance's messages come back only after the session timeout; rows older than
    // the overlap would then be pushed to nobody and replayed to nobody.
    return invalid(['SIGNAL_REPLAY_OVERLAP_MS: must be at least KAFKA_SESSION_TIMEOUT_MS']);
  }
  return valid({
    maxPayloadBytes: vars.SIGNAL_EMIT_MAX_PAYLOAD_BYTES,
    replayLimit: vars.SIGNAL_REPLAY_LIMIT,
    replayOverlapMs: vars.SIGNAL_REPLAY_OVERLAP_MS,
    redisKey: vars.SOCKET_IO_REDIS_KEY,
    maxConnections: vars.SIGNAL_MAX_CONNECTIONS ?? defaultMaxConnections(),
  });
}
