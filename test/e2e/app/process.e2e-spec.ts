import { createTestSchema, TestSchema } from '@signal/persistence/testing/test-schema';
import { deleteQueues } from '../../support/rabbitmq';
import { spawnSignal, waitUntilServing } from '../../support/signal-process';
import { TestServices } from '../../support/test-services';
import { uniqueName } from '../../support/unique-name';
import { freePort } from '../../support/free-port';

describe('Signal as an OS process: configuration errors and graceful shutdown', () => {
  let db: TestSchema;
  const queues: string[] = [];

  beforeAll(async () => {
    db = await createTestSchema('process');
  });

  afterAll(async () => {
    await deleteQueues(...queues);
    await db.drop();
  });

  it('should exit non-zero naming DATABASE_URL when it is not a URL', async () => {
    const sut = spawnSignal({ DATABASE_URL: 'not-a-url' });

    expect(await sut.exited).toBe(1);
    expect(sut.output()).toMatch(/Invalid configuration:\n\s+- DATABASE_URL: must be a URL/);
  });

  it('should exit non-zero naming the unset credentials when development ones are not asked for', async () => {
    const sut = spawnSignal({
      NODE_ENV: 'development',
      SIGNAL_JWT_SECRET: '',
      SIGNAL_API_KEYS: '',
    });

    expect(await sut.exited).toBe(1);
    expect(sut.output()).toMatch(
      /- SIGNAL_JWT_SECRET: required \(or SIGNAL_DEV_CREDENTIALS=true[^\n]*\n\s+- SIGNAL_API_KEYS: required/,
    );
  });

  it('should name every bad variable at once', async () => {
    const sut = spawnSignal({
      PORT: 'http',
      KAFKA_BROKERS: 'nohostport',
      RABBITMQ_ENABLED: 'perhaps',
    });

    expect(await sut.exited).toBe(1);
    for (const name of ['PORT', 'KAFKA_BROKERS', 'RABBITMQ_ENABLED']) {
      expect(sut.output()).toContain(`- ${name}: `);
    }
  });

  it.each(['SIGTERM', 'SIGINT'] as const)(
    'should serve, then stop cleanly with exit 0 on %s',
    async (signal) => {
      const port = await freePort();
      const queue = uniqueName('it.process');
      queues.push(queue);
      const sut = spawnSignal({
        PORT: String(port),
        DATABASE_URL: db.options.url,
        DATABASE_SCHEMA: db.options.schema,
        KAFKA_BROKERS: TestServices.kafkaBrokers.join(','),
        APP_ENV_KAFKA_GROUP_ID: uniqueName('IT_PROCESS_GROUP'),
        RABBITMQ_URL: TestServices.rabbitmqUrl,
        RABBITMQ_QUEUE: queue,
        REDIS_URL: TestServices.redisUrl,
      });
      await waitUntilServing(sut, `http://127.0.0.1:${port}`, '/health/live');

      sut.child.kill(signal);

      // A shutdown deadline (orchestrators kill after ~10 s), not a speed measurement.
      const deadline = new Promise<string>((resolve) =>
        setTimeout(() => resolve('still running 10 s after the signal'), 10_000).unref(),
      );
      expect(await Promise.race([sut.exited, deadline])).toBe(0);
    },
  );
});
