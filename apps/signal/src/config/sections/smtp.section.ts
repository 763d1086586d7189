import { IsInt, IsString, Max, Min, MinLength } from 'class-validator';
import { IsUrlWithScheme, ToInteger } from '../env-validators';
import { EnvVars, Parsed, readVariables, valid } from '../parsed';

export interface SmtpSettings {
  url: string;
  from: string;
  timeoutMs: number;
}

export class SmtpVariables {
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
}

export function parseSmtp(env: EnvVars): Parsed<SmtpSettings> {
  const read = readVariables(SmtpVariables, env);
  if (!read.ok) return read;
  const vars = read.value;
  return valid({ url: vars.SMTP_URL, from: vars.SMTP_FROM, timeoutMs: vars.SMTP_TIMEOUT_MS });
}
