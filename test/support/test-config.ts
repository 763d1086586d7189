import { loadSignalConfig, SignalConfig } from '../../apps/signal/src/config/signal-config';
import { TestServices } from './test-services';

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
    ...env,
  });
}
