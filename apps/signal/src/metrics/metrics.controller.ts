import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Registry } from 'prom-client';
import { SignalMetrics } from './signal-metrics';

/**
 * Public like `/health`: Prometheus scrapers usually carry no credentials, and the metrics hold
 * counts and bounded labels only (no user ids, payloads or URLs). Restrict it at the network edge.
 */
@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: SignalMetrics) {}

  @Get()
  @Header('Content-Type', Registry.PROMETHEUS_CONTENT_TYPE)
  @ApiOperation({
    summary: 'Prometheus metrics of this instance (text exposition format, no auth)',
    description:
      'Kafka consumer lag per partition, batch size and duration, dead letters, Socket.IO connections and emits per topic, PHX deliveries and Producer outcomes, HTTP latency per route, Node process metrics.',
  })
  @ApiProduces(Registry.PROMETHEUS_CONTENT_TYPE)
  @ApiOkResponse({
    description: 'Metrics in the Prometheus text format',
    schema: { type: 'string' },
  })
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
