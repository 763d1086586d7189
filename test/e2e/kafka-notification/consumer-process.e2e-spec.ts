import type { TestSchema } from '@signal/persistence/testing/test-schema';
import { Admin, Producer } from 'kafkajs';
import { createTopic, testKafka } from '../../support/kafka';
import { aPaymentSucceeded, waitForCommittedToLogEnd } from '../../support/kafka-activity';
import { SignalProcess, spawnSignal, waitUntilServing } from '../../support/signal-process';
import { createTestSchema } from '../../support/signal-test-app';
import { exactlyOnce, storedAgainstProduced } from '../../support/stored-activity';
import { TestServices } from '../../support/test-services';
import { uniqueName } from '../../support/unique-name';
import { freePort } from '../../support/free-port';
import { waitFor } from '../../support/wait-for';

const RECIPIENTS = ['parent-a', 'parent-b'];

describe('the consumer as an OS process: SIGKILL and SIGTERM mid-stream (real Kafka, PostgreSQL)', () => {
  const topic = uniqueName('it.activity-process');
  const groupId = uniqueName('IT_PROCESS_GROUP');
  let db: TestSchema;
  let admin: Admin;
  let producer: Producer;
  let produced = 0;
  const running: SignalProcess[] = [];

  const storedRows = async () => {
    const [row] = await db.dataSource.query<{ total: string }[]>(
      'SELECT count(*) AS total FROM activity_notifications',
    );
    return Number(row.total);
  };
  /** Every event produced so far, `stream-<n>` for n from 0, to `RECIPIENTS`. */
  const producedEvents = () =>
    new Map(Array.from({ length: produced }, (_, n) => [`stream-${n}`, RECIPIENTS]));
  const produceStream = async (count: number) => {
    for (let sent = 0; sent < count; sent += 1000) {
      await producer.send({
        topic,
        messages: Array.from({ length: Math.min(1000, count - sent) }, (_, index) => {
          const n = produced + sent + index;
          return {
            key: `order-${n % 97}`,
            value: JSON.stringify(
              aPaymentSucceeded({
                recipientScope: 'users',
                recipientIds: RECIPIENTS,
                eventId: `stream-${n}`,
              }),
            ),
          };
        }),
      });
    }
    produced += count;
  };
  const startConsumer = async (): Promise<SignalProcess> => {
    const port = await freePort();
    const app = spawnSignal({
      PORT: String(port),
      LOG_LEVEL: 'warn',
      DATABASE_URL: db.options.url,
      DATABASE_SCHEMA: db.options.schema,
      KAFKA_BROKERS: TestServices.kafkaBrokers.join(','),
      KAFKA_TOPIC_ACTIVITY_NOTIFICATION: topic,
      APP_ENV_KAFKA_GROUP_ID: groupId,
      KAFKA_FROM_BEGINNING: 'true',
      // After the SIGKILL the group waits this long for the dead member (30 s by default); not the
      // broker's 6 s minimum, which a batch on a loaded CI machine could outlast between heartbeats.
      KAFKA_SESSION_TIMEOUT_MS: '10000',
      RABBITMQ_ENABLED: 'false',
      REDIS_URL: TestServices.redisUrl,
      SOCKET_IO_REDIS_KEY: `socket.io.${db.options.schema}`,
    });
    running.push(app);
    await waitUntilServing(app, `http://127.0.0.1:${port}`, '/health/live');
    return app;
  };
  /** Resolves once more than `rows` rows exist: the consumer is busy with the stream. */
  const beyond = (rows: number) =>
    waitFor(
      `more than ${rows} rows`,
      async () => {
        const total = await storedRows();
        return total > rows ? total : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 20 },
    );

  beforeAll(async () => {
    db = await createTestSchema('activity-process');
    const kafka = testKafka('it-activity-process');
    admin = kafka.admin();
    producer = kafka.producer();
    await Promise.all([admin.connect(), producer.connect()]);
    await createTopic(admin, topic, 3);
  });

  afterEach(() => {
    // A failed test must not leave a consumer behind (it would hold Jest open and the group busy).
    for (const app of running.splice(0)) if (app.child.exitCode === null) app.child.kill('SIGKILL');
  });

  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic, `${topic}.dlq`] }).catch(() => undefined);
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await Promise.all([admin.disconnect(), producer.disconnect()]);
    await db.drop();
  });

  it('should write exactly 20,000 × recipients rows after a SIGKILL midway and a restart', async () => {
    await produceStream(20_000);
    const first = await startConsumer();
    const rowsAtKill = await beyond(4_000);
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    expect(rowsAtKill).toBeLessThan(20_000 * RECIPIENTS.length);

    const second = await startConsumer();
    await waitForCommittedToLogEnd(admin, groupId, topic);
    expect(await storedAgainstProduced(db, producedEvents())).toEqual(exactlyOnce(40_000));
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 180_000);

  it('should drain, commit and exit 0 within 10 s on SIGTERM during a batch, without duplicates after restart', async () => {
    await produceStream(20_000);
    const first = await startConsumer();
    await beyond(40_000 + 4_000);

    first.child.kill('SIGTERM');
    // A shutdown deadline (orchestrators kill after ~10 s), not a speed measurement.
    const deadline = new Promise<string>((resolve) =>
      setTimeout(() => resolve('still running 10 s after SIGTERM'), 10_000).unref(),
    );
    const exit = await Promise.race([first.exited, deadline]);
    if (exit !== 0) throw new Error(`exit ${exit}\n--- app output ---\n${first.output()}`);
    // Drained: every message whose rows were written was also committed, none left half-done.
    const [{ partitions }] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const committedMessages = partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
    expect(await storedRows()).toBe(committedMessages * RECIPIENTS.length);
    expect(committedMessages).toBeLessThan(produced);

    const second = await startConsumer();
    await waitForCommittedToLogEnd(admin, groupId, topic);
    expect(await storedAgainstProduced(db, producedEvents())).toEqual(exactlyOnce(80_000));
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 180_000);
});
