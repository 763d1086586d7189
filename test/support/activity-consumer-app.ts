import type { TestSchema } from '@signal/persistence/testing/test-schema';
import { SignalTestApp, startSignalTestApp } from './signal-test-app';
import { uniqueName } from './unique-name';

/** The whole app in-process with its Kafka consumer on the test's own topic and group. */
export function startActivityConsumerApp(
  db: TestSchema,
  kafka: { topic: string; groupId: string },
  env: Record<string, string> = {},
): Promise<SignalTestApp> {
  return startSignalTestApp(db, {
    KAFKA_ENABLED: 'true',
    KAFKA_TOPIC_ACTIVITY_NOTIFICATION: kafka.topic,
    APP_ENV_KAFKA_GROUP_ID: kafka.groupId,
    APP_ENV_KAFKA_CLIENT_ID: uniqueName('IT_CONSUMER'),
    KAFKA_FROM_BEGINNING: 'true',
    ...env,
  });
}
