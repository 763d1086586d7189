import { IsInt, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsUrlWithScheme, ToInteger } from '../env-validators';
import { EnvVars, Parsed, readVariables, valid } from '../parsed';

export interface DatabaseSettings {
  url: string;
  schema: string;
  poolSize: number;
  connectTimeoutMs: number;
}

export class DatabaseVariables {
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
}

export function parseDatabase(env: EnvVars): Parsed<DatabaseSettings> {
  const read = readVariables(DatabaseVariables, env);
  if (!read.ok) return read;
  const vars = read.value;
  return valid({
    url: vars.DATABASE_URL,
    schema: vars.DATABASE_SCHEMA,
    poolSize: vars.DATABASE_POOL_SIZE,
    connectTimeoutMs: vars.DATABASE_CONNECT_TIMEOUT_MS,
  });
}
