import { IsUrlWithScheme } from '../env-validators';
import { EnvVars, Parsed, readVariables, valid } from '../parsed';

export interface RedisSettings {
  url: string;
}

export class RedisVariables {
  @IsUrlWithScheme(['redis', 'rediss'])
  REDIS_URL = 'redis://127.0.0.1:6379';
}

export function parseRedis(env: EnvVars): Parsed<RedisSettings> {
  const read = readVariables(RedisVariables, env);
  return read.ok ? valid({ url: read.value.REDIS_URL }) : read;
}
