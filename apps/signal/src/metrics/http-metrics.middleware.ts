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
  const route: unknown = request.route;
  if (typeof route === 'object' && route !== null && 'path' in route) {
    return String(route.path);
  }
  return 'unmatched';
}
