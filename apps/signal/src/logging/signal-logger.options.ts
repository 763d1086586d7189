import { IncomingMessage, ServerResponse } from 'node:http';
import { CORRELATION_ID_HEADER } from '@signal/core';
import { LoggerService } from '@nestjs/common';
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

/**
 * A request in a log line (its access line, and every line written while it is answered): the
 * URL cut and with addresses masked, since callers choose it; credentials in its headers are
 * redacted (`REDACTED_PATHS`).
 */
const loggedRequest = (req: IncomingMessage) => ({
  method: req.method,
  url: req.url === undefined ? undefined : loggableText(req.url),
  remoteAddress: req.socket?.remoteAddress,
  headers: req.headers,
});

/** A response in an access line: its status once sent, and its headers. */
const loggedResponse = (res: ServerResponse) => ({
  statusCode: res.headersSent ? res.statusCode : null,
  headers: typeof res.getHeaders === 'function' ? res.getHeaders() : undefined,
});

/**
 * Signal's pino settings, one JSON object per line on stdout in every environment (pipe through
 * `pino-pretty` to read them in a terminal): the level by name, ISO time, the correlation id of
 * the work in progress and the HTTP request it answers, secrets redacted and e-mail addresses
 * masked (see `log-redaction.ts`).
 */
export function signalPinoOptions(logLevel: LogLevelName): LoggerOptions {
  return {
    level: PINO_LEVELS[logLevel],
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    serializers: { req: loggedRequest, res: loggedResponse },
    redact: { paths: REDACTED_PATHS, censor: REDACTED },
    // A fresh object each time: pino merges the line's own fields into it. The request is
    // serialized only for lines actually written.
    mixin: () => {
      const correlationId = CorrelationContext.current();
      if (correlationId === undefined) return {};
      const req = CorrelationContext.request();
      return req === undefined ? { correlationId } : { correlationId, req };
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
 * `nestjs-pino` settings: the app's pino, as the `LoggerService` every `new Logger(context)`
 * writes through. No Nest middleware (`forRoutes: []`): access lines and the request context of
 * log lines are Fastify hooks (`logHttpRequests`), and pino-http, which `nestjs-pino` builds its
 * logger with, keeps Signal's serializers as they are.
 */
export function signalLoggerParams(config: Pick<SignalConfig, 'logLevel'>): Params {
  return {
    forRoutes: [],
    pinoHttp: { logger: createSignalPino(config.logLevel), wrapSerializers: false },
  };
}

/** Nest's `Logger` writing through Signal's pino, for `main.ts` before (or without) an app: CLI commands and start-up. */
export function signalProcessLogger(config: Pick<SignalConfig, 'logLevel'>): LoggerService {
  const params = signalLoggerParams(config);
  return new NestPinoLogger(new PinoLogger(params), params);
}
