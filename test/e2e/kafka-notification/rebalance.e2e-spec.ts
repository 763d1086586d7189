import type { TestSchema } from '@signal/persistence/testing/test-schema';
import { Admin, Producer } from 'kafkajs';
import { startActivityConsumerApp } from '../../support/activity-consumer-app';
import { createTopic, testKafka, waitForStableGroup } from '../../support/kafka';
import { aPaymentSucceeded, waitForCommittedToLogEnd } from '../../support/kafka-activity';
import { createTestSchema, SignalTestApp } from '../../support/signal-test-app';
import { exactlyOnce, storedAgainstProduced } from '../../support/stored-activity';
import { uniqueName } from '../../support/unique-name';

const TOTAL = 6_000;
const CHUNK = 250;
/** The recipient of every event: the organizer, scope `org`. */
const ORGANIZER = 'org-r';

describe('a consumer joins and the first leaves during a stream (real Kafka, PostgreSQL)', () => {
  const topic = uniqueName('it.activity-rebalance');
  const groupId = uniqueName('IT_REBALANCE_GROUP');
  let db: TestSchema;
  let admin: Admin;
  let producer: Producer;
  const apps: SignalTestApp[] = [];

  beforeAll(async () => {
    db = await createTestSchema('activity-rebalance');
    const kafka = testKafka('it-activity-rebalance');
    admin = kafka.admin();
    producer = kafka.producer();
    await Promise.all([admin.connect(), producer.connect()]);
    await createTopic(admin, topic, 3);
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close().catch(() => undefined)));
    await admin.deleteTopics({ topics: [topic, `${topic}.dlq`] }).catch(() => undefined);
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await Promise.all([admin.disconnect(), producer.disconnect()]);
    await db.drop();
  });

  it('should persist every message exactly once: no gap, no duplicate', async () => {
    const first = await startActivityConsumerApp(db, { topic, groupId });
    apps.push(first);
    let second: SignalTestApp | undefined;

    for (let sent = 0; sent < TOTAL; sent += CHUNK) {
      await producer.send({
        topic,
        messages: Array.from({ length: CHUNK }, (_, index) => ({
          key: `k-${(sent + index) % 31}`,
          value: JSON.stringify(
            aPaymentSucceeded({ organizerId: ORGANIZER, eventId: `r-${sent + index}` }),
          ),
        })),
      });
      if (sent === TOTAL / 4) {
        second = await startActivityConsumerApp(db, { topic, groupId });
        apps.push(second);
      }
      if (sent === TOTAL / 2) {
        await waitForStableGroup(admin, groupId);
        await first.close();
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    await waitForCommittedToLogEnd(admin, groupId, topic);
    const produced = new Map(Array.from({ length: TOTAL }, (_, n) => [`r-${n}`, [ORGANIZER]]));
    expect(second).toBeDefined();
    expect(await storedAgainstProduced(db, produced)).toEqual(exactlyOnce(TOTAL));
    const members = await waitForStableGroup(admin, groupId);
    expect(members).toHaveLength(1);
  });
});
