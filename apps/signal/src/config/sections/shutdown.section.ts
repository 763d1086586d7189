import { IsInt, Max, Min } from 'class-validator';
import { ToInteger } from '../env-validators';
import { EnvVars, Parsed, readVariables, valid } from '../parsed';

export interface ShutdownSettings {
  timeoutMs: number;
}

export class ShutdownVariables {
  @ToInteger()
  @IsInt()
  @Min(1000)
  @Max(120000)
  SHUTDOWN_TIMEOUT_MS = 10000;
}

export function parseShutdown(env: EnvVars): Parsed<ShutdownSettings> {
  const read = readVariables(ShutdownVariables, env);
  return read.ok ? valid({ timeoutMs: read.value.SHUTDOWN_TIMEOUT_MS }) : read;
}
