import { Injectable, NestMiddleware } from '@nestjs/common';
import { NextFunction, Request, Response } from 'express';
import { SignalMetrics } from './signal-metrics';

/**
 * Times every HTTP request, including those a guard, pipe or filter answers with an error and
 * those no route matches: a middleware sees them all, an interceptor only those reaching a handler.
 */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: SignalMetrics) {}

  use(request: Request, response: Response, next: NextFunction): void {
    const stopTimer = this.metrics.httpRequestDuration.startTimer();
    response.once('finish', () =>
      stopTimer({
        method: request.method,
        route: routePatternOf(request),
        status: String(response.statusCode),
      }),
    );
    next();
  }
}

/** `/notifications/:id/read`, not the URL: one series per route rather than one per id. */
function routePatternOf(request: Request): string {
  // The last Express route that ran. A controller's serves one method; when none matched, it is
  // one of the routes Nest mounts route-bound middleware on with `all`, which serve every method.
  const route = request.route as { path?: unknown; methods?: Record<string, boolean> } | undefined;
  const controllerRoute = Object.keys(route?.methods ?? {}).length === 1;
  return controllerRoute && typeof route?.path === 'string' ? route.path : 'unmatched';
}
