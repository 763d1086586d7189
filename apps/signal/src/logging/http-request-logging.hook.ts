import { IncomingMessage, ServerResponse } from 'node:http';
import { CORRELATION_ID_HEADER } from '@signal/core';
import { FastifyInstance } from 'fastify';
import { Logger, LevelWithSilent } from 'pino';
import { CorrelationContext } from './correlation-context';

// Probes and scrapes come every few seconds: their access lines would drown everything else.
const UNLOGGED_PATHS = /^\/(health|metrics)(\/|\?|$)/;

/**
 * The HTTP side of Signal's logs, for every request (404s and those a guard, pipe or filter
 * answers included): it runs under its correlation id (Fastify's request id, see
 * `correlationIdOfRequest`), echoed in `x-correlation-id`; lines written while it is answered
 * name it (`req`, see `signalPinoOptions`); and when it closes, one access line. Fastify hooks
 * rather than Nest middleware, which `@fastify/middie` runs after matching the URL once more,
 * and rather than pino-http, which builds a redacted child logger per request whether or not a
 * line is written. Must be added before the app listens: Fastify takes no hooks once it is ready.
 */
export function logHttpRequests(fastify: FastifyInstance, logger: Logger): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    const correlationId = request.id;
    const { raw: req } = request;
    const res = reply.raw;
    res.setHeader(CORRELATION_ID_HEADER, correlationId);
    if (!UNLOGGED_PATHS.test(req.url ?? '')) {
      const startedAt = Date.now();
      // 'close' comes once, after the response is sent or when the connection went first.
      res.on('close', () => logAccess(logger, req, res, correlationId, Date.now() - startedAt));
    }
    CorrelationContext.runRequest(req, correlationId, done);
  });
}

/**
 * The access line, as pino-http wrote it: 5xx `error` with a made-up error, 4xx `warn`, the rest
 * `info`. A 503 is an answer Signal chose (a dependency away, an overload: its cause is logged
 * once where it was seen), so it is a warning without that error's stack: during an outage each
 * refused request would otherwise write one.
 */
function logAccess(
  logger: Logger,
  req: IncomingMessage,
  res: ServerResponse,
  correlationId: string,
  responseTime: number,
): void {
  const { statusCode } = res;
  const refused = statusCode === 503;
  const failed = statusCode >= 500 && !refused;
  const level: LevelWithSilent = failed ? 'error' : statusCode >= 400 ? 'warn' : 'info';
  if (!logger.isLevelEnabled(level)) return;
  const line = { req, res, responseTime, correlationId };
  if (failed) {
    const err = new Error(`failed with status code ${statusCode}`);
    logger[level]({ ...line, err }, 'request errored');
  } else {
    logger[level](line, refused ? 'request refused for now (503)' : 'request completed');
  }
}
