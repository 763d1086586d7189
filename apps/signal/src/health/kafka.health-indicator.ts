import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { Admin, Kafka, logLevel } from 'kafkajs';
import { SignalConfig } from '../config/signal-config';
import { errorMessage, withTimeout } from './with-timeout';

/** Up when the brokers answer a cluster description through a long-lived admin client. */
@Injectable()
export class KafkaHealthIndicator implements OnModuleDestroy {
  private admin: Admin | null = null;

  constructor(
    private readonly config: SignalConfig,
    private readonly health: HealthIndicatorService,
  ) {}

  async check(key = 'kafka'): Promise<HealthIndicatorResult> {
    const indicator = this.health.check(key);
    const timeoutMs = this.config.health.timeoutMs;
    try {
      const admin = await withTimeout(this.connectedAdmin(), timeoutMs, 'Kafka connect');
      const cluster = await withTimeout(
        admin.describeCluster(),
        timeoutMs,
        'Kafka describeCluster',
      );
      return indicator.up({ brokers: cluster.brokers.length });
    } catch (error) {
      await this.reset();
      return indicator.down({ message: errorMessage(error) });
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.reset();
  }

  private async connectedAdmin(): Promise<Admin> {
    if (!this.admin) {
      const timeoutMs = this.config.health.timeoutMs;
      this.admin = new Kafka({
        clientId: `${this.config.kafka.clientId}-health`,
        brokers: this.config.kafka.brokers,
        connectionTimeout: timeoutMs,
        requestTimeout: timeoutMs,
        retry: { retries: 0 },
        logLevel: logLevel.NOTHING,
      }).admin();
      await this.admin.connect();
    }
    return this.admin;
  }

  private async reset(): Promise<void> {
    const admin = this.admin;
    this.admin = null;
    await admin?.disconnect().catch(() => undefined);
  }
}
