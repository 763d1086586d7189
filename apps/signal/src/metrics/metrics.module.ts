import { Global, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { MetricsController } from './metrics.controller';
import { SignalMetrics } from './signal-metrics';

/** `GET /metrics` and `SignalMetrics`, global so every module can count without importing it. */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [SignalMetrics],
  exports: [SignalMetrics],
})
export class MetricsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('{*path}');
  }
}
