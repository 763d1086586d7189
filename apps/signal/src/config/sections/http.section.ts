import { IsInt, Max, Min } from 'class-validator';
import { ToInteger } from '../env-validators';
import { EnvVars, invalid, Parsed, readVariables, valid } from '../parsed';

export interface HttpSettings {
  port: number;
  requestTimeoutMs: number;
  headersTimeoutMs: number;
}

export class HttpVariables {
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
}

export function parseHttp(env: EnvVars): Parsed<HttpSettings> {
  const read = readVariables(HttpVariables, env);
  if (!read.ok) return read;
  const vars = read.value;
  if (vars.HTTP_HEADERS_TIMEOUT_MS > vars.HTTP_REQUEST_TIMEOUT_MS) {
    return invalid(['HTTP_HEADERS_TIMEOUT_MS: must not exceed HTTP_REQUEST_TIMEOUT_MS']);
  }
  return valid({
    port: vars.PORT,
    requestTimeoutMs: vars.HTTP_REQUEST_TIMEOUT_MS,
    headersTimeoutMs: vars.HTTP_HEADERS_TIMEOUT_MS,
  });
}
