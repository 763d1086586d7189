import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { KafkaHealthIndicator } from './kafka.health-indicator';
import { PostgresHealthIndicator } from './postgres.health-indicator';
import { RabbitmqHealthIndicator } from './rabbitmq.health-indicator';
import { RedisHealthIndicator } from './redis.health-indicator';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly postgresql: PostgresHealthIndicator,
    private readonly kafka: KafkaHealthIndicator,
    private readonly rabbitmq: RabbitmqHealthIndicator,
    private readonly redis: RedisHealthIndicator,
  ) {}

  @ApiOperation({
    summary: 'Liveness: the process is up and serving HTTP',
    description: 'Says nothing of dependencies.',
  })
  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  @ApiOperation({
    summary: 'Readiness: PostgreSQL, Kafka, RabbitMQ and Redis answer',
    description:
      '503 naming every dependency that is down: `{ "status": "down" }`, with `"reason": "timeout"` when it did not answer in time; the cause is logged, never answered. Each dependency is probed at most once a second, over long-lived connections.',
  })
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.postgresql.check(),
      () => this.kafka.check(),
      () => this.rabbitmq.check(),
      () => this.redis.check(),
    ]);
  }
}
