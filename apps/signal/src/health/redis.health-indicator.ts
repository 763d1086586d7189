import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import Redis from 'ioredis';
import { SignalConfig } from '../config/signal-config';
import { errorMessage, withTimeout } from './with-timeout';

/** Up when Redis answers PING; the client reconnects by itself and never queues commands while down. */
@Injectable()
export class RedisHealthIndicator implements OnModuleDestroy {
  private readonly logger = new Logger(RedisHealthIndicator.name);
  private readonly client: Redis;
  private lastError: string | null = null;

  constructor(
    private readonly config: SignalConfig,
    private readonly health: HealthIndicatorService,
  ) {
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

  async check(key = 'redis'): Promise<HealthIndicatorResult> {
    const indicator = this.health.check(key);
    try {
      const pong = await withTimeout(
        this.client.ping(),
        this.config.health.timeoutMs,
        'Redis PING',
      );
      return indicator.up({ reply: pong });
    } catch (error) {
      return indicator.down({ message: this.lastError ?? errorMessage(error) });
    }
  }

  onModuleDestroy(): void {
    this.client.disconnect();
  }
}
