import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { KafkaHealthIndicator } from './kafka.health-indicator';
import { PostgresHealthIndicator } from './postgres.health-indicator';
import { RabbitmqHealthIndicator } from './rabbitmq.health-indicator';
import { RedisHealthIndicator } from './redis.health-indicator';

@Module({
  imports: [TerminusModule.forRoot({ gracefulShutdownTimeoutMs: 0 })],
  controllers: [HealthController],
  providers: [
    PostgresHealthIndicator,
    KafkaHealthIndicator,
    RabbitmqHealthIndicator,
    RedisHealthIndicator,
  ],
})
export class HealthModule {}
