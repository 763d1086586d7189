import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import Redis from 'ioredis';
import { SignalConfig } from '../config/signal-config';
import { DependencyHealthIndicator } from './dependency.health-indicator';
import { errorMessage } from '../common/error-message';

/** Up when Redis answers PING; the client reconnects by itself and never queues commands while down. */
@Injectable()
export class RedisHealthIndicator extends DependencyHealthIndicator implements OnModuleDestroy {
  protected readonly key = 'redis';
  private readonly logger = new Logger(RedisHealthIndicator.name);
  private readonly client: Redis;
  private lastError: string | null = null;

  constructor(config: SignalConfig, health: HealthIndicatorService) {
    super(config, health);
    this.client = new Redis(config.redis.url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: config.health.timeoutMs,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    });
    this.client.on('error', (error: Error) => {
      if (error.message !== this.lastError) this.logger.warn(`Redis: ${error.message}`);
      this.lastError = error.message;
    });
    this.client.on('ready', () => (this.lastError = null));
    this.client.connect().catch(() => undefined);
  }

  protected async probe(): Promise<Record<string, unknown>> {
    return { reply: await this.client.ping() };
  }

  /** "Stream isn't writeable" says less than the connection error behind it. */
  protected override describeFailure(error: unknown): string {
    return this.lastError ?? errorMessage(error);
  }

  onModuleDestroy(): void {
    this.client.disconnect();
  }
}
