import { INestApplication } from '@nestjs/common';
import { createTestSchema, TestSchema } from '@signal/persistence/testing/test-schema';
import { startSignalApp } from '../../apps/signal/src/signal-app';
import { testSignalConfig } from './test-config';

export interface SignalTestApp {
  app: INestApplication;
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * The whole Signal app in-process on a free port, against the real stack, with its transports
 * off (these tests are about HTTP and Socket.IO). Share `db` to run several instances on one schema.
 */
export async function startSignalTestApp(db: TestSchema, env: Record<string, string> = {}) {
  // Instances on one schema share rooms (multi-instance tests); other test files do not.
  const app = await startSignalApp(
    testSignalConfig({
      DATABASE_URL: db.options.url,
      DATABASE_SCHEMA: db.options.schema,
      KAFKA_ENABLED: 'false',
      RABBITMQ_ENABLED: 'false',
      SOCKET_IO_REDIS_KEY: socketRedisKeyOf(db),
      ...env,
    }),
  );
  const baseUrl = (await app.getUrl())
    .replace('[::1]', '127.0.0.1')
    .replace('0.0.0.0', '127.0.0.1');
  return { app, baseUrl, close: () => app.close() } satisfies SignalTestApp;
}

export { createTestSchema };

/** The Socket.IO Redis key of the test apps on `db`, for a `WebSocketEmitter` in the same test. */
export function socketRedisKeyOf(db: TestSchema): string {
  return `socket.io.${db.options.schema}`;
}
