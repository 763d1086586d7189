import { HealthIndicatorService } from '@nestjs/terminus';
import { KafkaHealthIndicator } from '../../apps/signal/src/health/kafka.health-indicator';
import { RabbitmqHealthIndicator } from '../../apps/signal/src/health/rabbitmq.health-indicator';
import { RedisHealthIndicator } from '../../apps/signal/src/health/redis.health-indicator';
import { testSignalConfig } from '../support/test-config';

// Port 1 on loopback: nothing listens there, so connections are refused at once.
const CLOSED = '127.0.0.1:1';

describe('readiness indicators against real services and a closed port', () => {
  const health = new HealthIndicatorService();
  const reachable = testSignalConfig({});
  const unreachable = testSignalConfig({
    KAFKA_BROKERS: CLOSED,
    RABBITMQ_URL: `amqp://guest:guest@${CLOSED}`,
    REDIS_URL: `redis://${CLOSED}`,
    HEALTH_CHECK_TIMEOUT_MS: '1000',
  });

  it.each([
    ['kafka', KafkaHealthIndicator],
    ['rabbitmq', RabbitmqHealthIndicator],
    ['redis', RedisHealthIndicator],
  ] as const)('%s: should be up when the service answers', async (key, Indicator) => {
    const sut = new Indicator(reachable, health);
    try {
      const result = await waitForUp(() => sut.check());
      expect(result[key].status).toBe('up');
    } finally {
      await ('onModuleDestroy' in sut ? sut.onModuleDestroy() : undefined);
    }
  });

  it.each([
    ['kafka', KafkaHealthIndicator, /ECONNREFUSED|Connection error/],
    ['rabbitmq', RabbitmqHealthIndicator, /ECONNREFUSED/],
    ['redis', RedisHealthIndicator, /ECONNREFUSED|Connection is closed|Stream isn't writeable/],
  ] as const)(
    '%s: should be down with the cause when nothing listens',
    async (key, Indicator, cause) => {
      const sut = new Indicator(unreachable, health);
      try {
        const result = await sut.check();
        expect(result[key].status).toBe('down');
        expect(result[key].message).toMatch(cause);
      } finally {
        await ('onModuleDestroy' in sut ? sut.onModuleDestroy() : undefined);
      }
    },
  );
});

/** A fresh Redis client connects asynchronously; give it a moment before judging. */
async function waitForUp<T extends Record<string, { status: string }>>(
  check: () => Promise<T>,
): Promise<T> {
  let result = await check();
  for (let attempt = 0; attempt < 20 && Object.values(result)[0].status !== 'up'; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    result = await check();
  }
  return result;
}
