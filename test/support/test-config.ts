import { loadSignalConfig, SignalConfig } from '../../apps/signal/src/config/signal-config';
import { kafkaClientEnv, TestServices } from './test-services';
import { TEST_API_KEY, TEST_JWT_SECRET } from './tokens';

/** A validated app configuration pointing at the local stack; `env` overrides by variable name. */
export function testSignalConfig(env: Record<string, string>): SignalConfig {
  return loadSignalConfig({
    NODE_ENV: 'test',
    PORT: '0',
    LOG_LEVEL: 'warn',
    KAFKA_BROKERS: TestServices.kafkaBrokers.join(','),
    RABBITMQ_URL: TestServices.rabbitmqUrl,
    REDIS_URL: TestServices.redisUrl,
    HEALTH_CHECK_TIMEOUT_MS: '1500',
    SIGNAL_JWT_SECRET: TEST_JWT_SECRET,
    SIGNAL_API_KEYS: TEST_API_KEY,
    ...kafkaClientEnv(),
    ...env,
  });
}
