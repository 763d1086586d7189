import { IsIn } from 'class-validator';
import { EnvVars, Parsed, readVariables, valid } from '../parsed';

const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

export class LoggingVariables {
  @IsIn(LOG_LEVELS)
  LOG_LEVEL: LogLevelName = 'log';
}

export function parseLogging(env: EnvVars): Parsed<LogLevelName> {
  const read = readVariables(LoggingVariables, env);
  return read.ok ? valid(read.value.LOG_LEVEL) : read;
}
