import { IsInt, Max, Min } from 'class-validator';
import { ToInteger } from '../env-validators';
import { EnvVars, Parsed, readVariables, valid } from '../parsed';

export interface HealthSettings {
  timeoutMs: number;
}

export class HealthVariables {
  @ToInteger()
  @IsInt()
  @Min(100)
  @Max(30000)
  HEALTH_CHECK_TIMEOUT_MS = 2000;
}

export function parseHealth(env: EnvVars): Parsed<HealthSettings> {
  const read = readVariables(HealthVariables, env);
  return read.ok ? valid({ timeoutMs: read.value.HEALTH_CHECK_TIMEOUT_MS }) : read;
}
