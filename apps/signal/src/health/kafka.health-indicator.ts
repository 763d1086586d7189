import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Admin, logLevel } from 'kafkajs';
import { SignalConfig } from '../config/signal-config';
import { KafkaClients } from '../kafka';
import { DependencyHealthIndicator } from './dependency.health-indicator';

/** Up when the brokers answer a cluster description through a long-lived admin client. */
@Injectable()
export class KafkaHealthIndicator extends DependencyHealthIndicator implements OnModuleDestroy {
  protected readonly key = 'kafka';
  private admin: Admin | null = null;

  constructor(
    config: SignalConfig,
    health: HealthIndicatorService,
    private readonly clients: KafkaClients,
  ) {
    super(config, health);
  }

  protected async probe(): Promise<Record<string, unknown>> {
    if (!this.admin) {
      const timeoutMs = this.config.health.timeoutMs;
      this.admin = this.clients
        .kafkajs({
          clientIdSuffix: '-health',
          connectionTimeout: timeoutMs,
          requestTimeout: timeoutMs,
          retry: { retries: 0 },
          logLevel: logLevel.NOTHING,
        })
        .admin();
      await this.admin.connect();
    }
    const cluster = await this.admin.describeCluster();
    return { brokers: cluster.brokers.length };
  }

  /** A fresh client next time: kafkajs's admin does not always recover from a broker restart. */
  protected override async afterFailure(): Promise<void> {
    const admin = this.admin;
    this.admin = null;
    await admin?.disconnect().catch(() => undefined);
  }

  async onModuleDestroy(): Promise<void> {
    await this.afterFailure();
  }
}
