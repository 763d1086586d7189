import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { connect } from 'amqplib';
import { SignalConfig } from '../config/signal-config';
import { errorMessage, withTimeout } from './with-timeout';

/** Up when a fresh AMQP connection opens: the probe does not reuse the consumer's connection. */
@Injectable()
export class RabbitmqHealthIndicator {
  constructor(
    private readonly config: SignalConfig,
    private readonly health: HealthIndicatorService,
  ) {}

  async check(key = 'rabbitmq'): Promise<HealthIndicatorResult> {
    const indicator = this.health.check(key);
    const timeoutMs = this.config.health.timeoutMs;
    try {
      const connection = await withTimeout(
        connect(this.config.rabbitmq.url, { timeout: timeoutMs }),
        timeoutMs,
        'RabbitMQ connect',
      );
      await connection.close();
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: errorMessage(error) });
    }
  }
}
