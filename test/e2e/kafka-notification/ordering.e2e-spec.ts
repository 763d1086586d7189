import type { TestSchema } from '@signal/persistence/testing/test-schema';
import { Admin, Producer } from 'kafkajs';
import { startActivityConsumerApp } from '../../support/activity-consumer-app';
import { createTopic, testKafka } from '../../support/kafka';
import { aPaymentSucceeded, waitForCommittedToLogEnd } from '../../support/kafka-activity';
import { createTestSchema, SignalTestApp } from '../../support/signal-test-app';
import { uniqueName } from '../../support/unique-name';

const KEYS = Array.from({ length: 9 }, (_, index) => `student-${index}`);
const FLAKY_KEY = 'student-4';
const PER_KEY = 40;

describe('per-key order across 3 partitions, also while one key hits transient errors (real Kafka, PostgreSQL)', () => {
  const topic = uniqueName('it.activity-order');
  const groupId = uniqueName('IT_ORDER_GROUP');
  let db: TestSchema;
  let admin: Admin;
  let producer: Producer;
  let signal: SignalTestApp;

  beforeAll(async () => {
    db = await createTestSchema('activity-order');
    // Real transient failures from PostgreSQL itself: the first inserts that touch the flaky key's
    // recipient fail with serialization_failure. A sequence counts them, since it ignores rollbacks.
    await db.dataSource.query(`CREATE SEQUENCE injected_failures`);
    await db.dataSource.query(`
      CREATE FUNCTION fail_flaky_key() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.recipient_id = 'r-${FLAKY_KEY}' AND nextval('injected_failures') <= 4 THEN
          RAISE EXCEPTION 'injected transient failure' USING ERRCODE = '40001';
        END IF;
        RETURN NEW;
      END $$`);
    await db.dataSource.query(
      `CREATE TRIGGER fail_flaky_key BEFORE INSERT ON activity_notifications FOR EACH ROW EXECUTE FUNCTION fail_flaky_key()`,
    );
    const kafka = testKafka('it-activity-order');
    admin = kafka.admin();
    producer = kafka.producer();
    await Promise.all([admin.connect(), producer.connect()]);
    await createTopic(admin, topic, 3);
    signal = await startActivityConsumerApp(
      db,
      { topic, groupId },
      { KAFKA_RETRY_INITIAL_MS: '50', KAFKA_RETRY_MAX_MS: '400' },
    );
  });

  afterAll(async () => {
    await signal.close();
    await admin.deleteTopics({ topics: [topic, `${topic}.dlq`] }).catch(() => undefined);
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await Promise.all([admin.disconnect(), producer.disconnect()]);
    await db.drop();
  });

  it('should persist every key in the order produced, flaky key included, with nothing dead-lettered', async () => {
    for (let n = 0; n < PER_KEY; n++) {
      await producer.send({
        topic,
        messages: KEYS.map((key) => ({
          key,
          value: JSON.stringify(
            aPaymentSucceeded({
              recipientScope: 'users',
              recipientIds: [`r-${key}`],
              eventId: `${key}-${n}`,
              data: { payment: { id: String(n), subject: key }, n },
            }),
          ),
        })),
      });
    }

    await waitForCommittedToLogEnd(admin, groupId, topic);
    const rows = await db.dataSource.query<{ recipient_id: string; n: number }[]>(
      `SELECT recipient_id, (data->>'n')::int AS n FROM activity_notifications ORDER BY seq`,
    );
    const [{ failures }] = await db.dataSource.query<{ failures: string }[]>(
      `SELECT last_value AS failures FROM injected_failures`,
    );

    expect(Number(failures)).toBeGreaterThanOrEqual(4);
    expect(rows).toHaveLength(KEYS.length * PER_KEY);
    for (const key of KEYS) {
      const order = rows.filter((row) => row.recipient_id === `r-${key}`).map((row) => row.n);
      expect(order).toEqual(Array.from({ length: PER_KEY }, (_, n) => n));
    }
    const [dlqEnd] = await admin.fetchTopicOffsets(`${topic}.dlq`);
    expect(dlqEnd.high).toBe('0');
  });
});
