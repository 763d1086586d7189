import { FastifyInstance } from 'fastify';
import { SignalMetrics } from './signal-metrics';

/**
 * Times every HTTP request, including those a guard, pipe or filter answers with an error and
 * those no route matches, by route pattern (`/notifications/:id/read`, not the URL: one series
 * per route rather than one per id). Fastify hooks see them all and know the matched route.
 * Must run before the app listens: Fastify takes no hooks once it is ready.
 */
export function instrumentHttpRequests(fastify: FastifyInstance, metrics: SignalMetrics): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.httpRequestDuration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
    done();
  });
}
