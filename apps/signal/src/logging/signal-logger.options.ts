import { IncomingMessage, ServerResponse } from 'node:http';
import { CORRELATION_ID_HEADER } from '@signal/core';
import { LoggerService, RequestMethod } from '@nestjs/common';
import { Logger as NestPinoLogger, Params, PinoLogger } from 'nestjs-pino';
import pino, { LevelWithSilent, LogFn, LoggerOptions } from 'pino';
import { SignalConfig, LogLevelName } from '../config/signal-config';
import { CorrelationContext, correlationIdOrNew } from './correlation-context';
import { loggableText, maskEmails, REDACTED, REDACTED_PATHS } from './log-redaction';

const PINO_LEVELS: Record<LogLevelName, LevelWithSilent> = {
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

// Probes and scrapes come every few seconds: their access lines would drown everything else.
const UNLOGGED_PATHS = /^\/(health|metrics)(\/|\?|$)/;

/**
 * Signal's pino settings, one JSON object per line on stdout in every environment (pipe through
 * `pino-pretty` to read them in a terminal): the level by name, ISO time, the correlation id of
 * the work in progress, secrets redacted and e-mail addresses masked (see `log-redaction.ts`).
 */
export function signalPinoOptions(logLevel: LogLevelName): LoggerOptions {
  return {
    level: PINO_LEVELS[logLevel],
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACTED_PATHS, censor: REDACTED },
    // A fresh object each time: pino merges the line's own fields into it.
    mixin: () => {
      const correlationId = CorrelationContext.current();
      return correlationId === undefined ? {} : { correlationId };
    },
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map((arg) => maskEmails(arg)) as Parameters<LogFn>);
      },
    },
  };
}

/** The pino instance of the app (and of `main.ts` before there is an app); writes synchronously so a crash loses nothing. */
function createSignalPino(logLevel: LogLevelName) {
  return pino(signalPinoOptions(logLevel), pino.destination({ dest: 1, sync: true }));
}

/** A new HTTP request's correlation id (Fastify's `genReqId`): its `x-correlation-id` when usable, else a new one. */
export const correlationIdOfRequest = (req: IncomingMessage): string =>
  correlationIdOrNew(req.headers[CORRELATION_ID_HEADER]);

/**
 * The correlation id of an HTTP request, as Fastify's `genReqId` chose it, echoed in the
 * response. The access logger and the context middleware both ask, in whichever order Nest runs
 * them.
 */
export function requestCorrelationId(req: IncomingMessage, res: ServerResponse): string {
  if (typeof req.id !== 'string') req.id = correlationIdOfRequest(req);
  if (!res.hasHeader(CORRELATION_ID_HEADER)) res.setHeader(CORRELATION_ID_HEADER, req.id);
  return req.id;
}

const originalUrlOf = (req: IncomingMessage & { originalUrl?: string }) =>
  req.originalUrl ?? req.url ?? '';

/**
 * `nestjs-pino` settings: the app's pino, and pino-http access lines (4xx warn, 5xx error). A 503
 * is an answer Signal chose (a dependency away, an overload: its cause is logged once where it
 * was seen), so it is a warning without the stack pino-http makes up for every 5xx: during an
 * outage each refused request would otherwise write one.
 */
export function signalLoggerParams(config: Pick<SignalConfig, 'logLevel'>): Params {
  return {
    // nestjs-pino's default route (`{/*splat}`) matches nothing under NestJS 12's Fastify adapter.
    forRoutes: [{ path: '*', method: RequestMethod.ALL }],
    pinoHttp: {
      logger: createSignalPino(config.logLevel),
      genReqId: requestCorrelationId,
      // Middleware sees `url` without its mount path; Fastify's middleware layer keeps the whole.
      autoLogging: { ignore: (req) => UNLOGGED_PATHS.test(originalUrlOf(req)) },
      customLogLevel: (_req, res, error) =>
        error || (res.statusCode >= 500 && res.statusCode !== 503)
          ? 'error'
          : res.statusCode >= 400
            ? 'warn'
            : 'info',
      // The access line names its request by the correlation id, like every other line.
      customSuccessObject: (req, _res, fields: object) => ({ ...fields, correlationId: req.id }),
      customErrorObject: (req, res, _error, fields: object) => {
        if (res.statusCode !== 503) return { ...fields, correlationId: req.id };
        const access: Record<string, unknown> = { ...fields, correlationId: req.id };
        delete access.err;
        return access;
      },
      customErrorMessage: (_req, res) =>
        res.statusCode === 503 ? 'request refused for now (503)' : 'request errored',
      serializers: {
        req: (req: { method: string; url: string; remoteAddress?: string; headers: object }) => ({
          method: req.method,
          url: loggableText(req.url),
          remoteAddress: req.remoteAddress,
          headers: req.headers,
        }),
      },
    },
  };
}

/** Nest's `Logger` writing through Signal's pino, for `main.ts` before (or without) an app: CLI commands and start-up. */
export function signalProcessLogger(config: Pick<SignalConfig, 'logLevel'>): LoggerService {
  const params = signalLoggerParams(config);
  return new NestPinoLogger(new PinoLogger(params), params);
}
