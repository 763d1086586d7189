import { applyDecorators } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiPayloadTooLargeResponse } from '@nestjs/swagger';
import { FastifyInstance } from 'fastify';
import { SignalConfig } from '../config/signal-config';
import { ApiErrorSchema } from './api-error.schema';

/**
 * A character of free text at its largest in JSON: 3 bytes of UTF-8 (any character of the Basic
 * Multilingual Plane; one outside it is 4 bytes for 2 UTF-16 units). An escaped quote or
 * backslash takes 2; control characters, escaped in 6, are no text anyone sends in bulk.
 */
export const WIDEST_CHAR = '€';

// Indentation and spaces a client may put around the largest body a route accepts.
const FORMATTING_ALLOWANCE = 1.25;

/** Bytes of `value` as compact JSON in UTF-8. */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value));
}

/**
 * The body limit of a route whose largest accepted body (every field at its longest, free text
 * in `WIDEST_CHAR`) is `largestBody` bytes of compact JSON: that, room for formatting, rounded up
 * to a KiB. What the route's DTO accepts always fits; what cannot be valid is refused unread.
 */
export function bodyLimitFor(largestBody: number): number {
  return Math.ceil((largestBody * FORMATTING_ALLOWANCE) / 1024) * 1024;
}

/** Routes that take no body: room for `{}` and then some. */
export const NO_BODY_LIMIT = 1024;

type BodyLimitOf = number | ((config: SignalConfig) => number);

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set by `@BodyLimit`, turned into the route's `bodyLimit` by `applyRouteBodyLimits`. */
    bodyLimit?: BodyLimitOf;
  }
}

/** The route's body limit, in bytes or from the configuration (applied by `applyRouteBodyLimits`). */
export const BodyLimit = (limit: BodyLimitOf) =>
  applyDecorators(
    RouteConfig({ bodyLimit: limit }),
    ApiPayloadTooLargeResponse({
      type: ApiErrorSchema,
      description: `PAYLOAD_TOO_LARGE: the body is larger than ${typeof limit === 'number' ? `${limit} bytes` : 'the limit of the route'}`,
    }),
  );

/**
 * Gives each route the limit its `@BodyLimit` declares, as Fastify's own per-route `bodyLimit`
 * (Nest passes only route `config` through); routes without one keep the server's default,
 * `NO_BODY_LIMIT`. Register before the routes are, i.e. before `app.init()`.
 */
export function applyRouteBodyLimits(fastify: FastifyInstance, config: SignalConfig): void {
  fastify.addHook('onRoute', (route) => {
    const limit = route.config?.bodyLimit;
    if (limit !== undefined) route.bodyLimit = typeof limit === 'number' ? limit : limit(config);
  });
}
