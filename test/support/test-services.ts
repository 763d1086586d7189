/** Where integration tests find the real local stack (`npm run stack:up`). */
export const TestServices = {
  kafkaBrokers: (process.env.TEST_KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
  rabbitmqUrl: process.env.TEST_RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
  redisUrl: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
};

/**
 * `KAFKA_CLIENT` for the apps a test starts: the test run's own when set
 * (`KAFKA_CLIENT=platformatic npx jest …`), else the app's default.
 */
export function kafkaClientEnv(): Record<string, string> {
  const client = process.env.KAFKA_CLIENT;
  return client ? { KAFKA_CLIENT: client } : {};
}
