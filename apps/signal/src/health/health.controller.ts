import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { KafkaHealthIndicator } from './kafka.health-indicator';
import { PostgresHealthIndicator } from './postgres.health-indicator';
import { RabbitmqHealthIndicator } from './rabbitmq.health-indicator';
import { RedisHealthIndicator } from './redis.health-indicator';

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly postgresql: PostgresHealthIndicator,
    private readonly kafka: KafkaHealthIndicator,
    private readonly rabbitmq: RabbitmqHealthIndicator,
    private readonly redis: RedisHealthIndicator,
  ) {}

  /** The process is up and serving HTTP; says nothing of dependencies. */
  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /** 503 naming every dependency that is down. */
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
