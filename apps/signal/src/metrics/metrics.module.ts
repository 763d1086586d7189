import { Global, Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { SignalMetrics } from './signal-metrics';

/**
 * `GET /metrics` and `SignalMetrics`, global so every module can count without importing it. HTTP
 * requests are timed by Fastify hooks (`instrumentHttpRequests`), which the app installs.
 */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [SignalMetrics],
  exports: [SignalMetrics],
})
export class MetricsModule {}
