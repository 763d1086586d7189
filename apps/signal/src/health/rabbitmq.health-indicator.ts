import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { connect } from 'amqplib';
import { SignalConfig } from '../config/signal-config';
import { DependencyHealthIndicator } from './dependency.health-indicator';

/** Up when a fresh AMQP connection opens: the probe does not reuse the consumer's connection. */
@Injectable()
export class RabbitmqHealthIndicator extends DependencyHealthIndicator {
  protected readonly key = 'rabbitmq';

  constructor(config: SignalConfig, health: HealthIndicatorService) {
    super(config, health);
  }

  protected async probe(): Promise<Record<string, unknown>> {
    const connection = await connect(this.config.rabbitmq.url, {
      timeout: this.config.health.timeoutMs,
    });
    await connection.close();
    return {};
  }
}
