import { createServer } from 'node:net';
import { AddressInfo } from 'node:net';
import { HealthIndicatorService } from '@nestjs/terminus';
import { SignalConfig } from '../../../apps/signal/src/config/signal-config';
import { KafkaHealthIndicator } from '../../../apps/signal/src/health/kafka.health-indicator';
import { RabbitmqHealthIndicator } from '../../../apps/signal/src/health/rabbitmq.health-indicator';
import { RedisHealthIndicator } from '../../../apps/signal/src/health/redis.health-indicator';
import { KafkaClients } from '../../../apps/signal/src/kafka';
import { testSignalConfig } from '../../support/test-config';

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
  const indicators = [
    [
      'kafka',
      (config: SignalConfig) =>
        new KafkaHealthIndicator(config, health, new KafkaClients(config.kafka)),
    ],
    ['rabbitmq', (config: SignalConfig) => new RabbitmqHealthIndicator(config, health)],
    ['redis', (config: SignalConfig) => new RedisHealthIndicator(config, health)],
  ] as const;

  it.each(indicators)('%s: should be up when the service answers', async (key, indicatorFor) => {
    const sut = indicatorFor(reachable);
    try {
      const result = await waitForUp(() => sut.check());
      expect(result[key].status).toBe('up');
    } finally {
      await sut.onModuleDestroy();
    }
  });

  it.each(indicators)(
    '%s: should be down, and say no more, when nothing listens',
    async (key, indicatorFor) => {
      const sut = indicatorFor(unreachable);
      try {
        const result = await sut.check();
        expect(result[key]).toEqual({ status: 'down' });
      } finally {
        await sut.onModuleDestroy();
      }
    },
  );

  it('should answer down with reason timeout when the service accepts but never answers', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const sut = new RabbitmqHealthIndicator(
      testSignalConfig({
        RABBITMQ_URL: `amqp://guest:guest@127.0.0.1:${port}`,
        HEALTH_CHECK_TIMEOUT_MS: '500',
      }),
      health,
    );
    try {
      expect(await sut.check()).toEqual({ rabbitmq: { status: 'down', reason: 'timeout' } });
    } finally {
      await sut.onModuleDestroy();
      silent.close();
    }
  });
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
