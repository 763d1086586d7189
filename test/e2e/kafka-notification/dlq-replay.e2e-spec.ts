import { randomUUID } from 'node:crypto';
import { DeadLetterHeaders } from '@signal/core';
import type { TestSchema } from '@signal/persistence/testing/test-schema';
import { Admin, Kafka, Producer } from 'kafkajs';
import { createTopic, testKafka } from '../../support/kafka';
import {
  aPaymentSucceeded,
  readTopic,
  waitForCommittedToLogEnd,
} from '../../support/kafka-activity';
import { spawnSignal } from '../../support/signal-process';
import { createTestSchema, SignalTestApp, startSignalTestApp } from '../../support/signal-test-app';
import { TestServices } from '../../support/test-services';
import { uniqueName } from '../../support/unique-name';
import { waitFor } from '../../support/wait-for';

const REFUND_TEMPLATE = JSON.stringify({
  REFUND_DONE: { content: '{actor.name} đã được hoàn tiền {data.amount}', actionUrl: null },
});

describe('dead-letter replay command (real Kafka, PostgreSQL)', () => {
  const topic = uniqueName('it.dlq-replay');
  const dlq = `${topic}.dlq`;
  const phxTopic = uniqueName('it.dlq-replay-phx');
  const phxDlq = `${phxTopic}.dlq`;
  const groupId = uniqueName('IT_DLQ_REPLAY_GROUP');
  let db: TestSchema;
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;
  let signal: SignalTestApp;

  const startApp = (env: Record<string, string> = {}) =>
    startSignalTestApp(db, {
      KAFKA_ENABLED: 'true',
      KAFKA_TOPIC_ACTIVITY_NOTIFICATION: topic,
      KAFKA_TOPIC_PHX_PUSH: phxTopic,
      APP_ENV_KAFKA_GROUP_ID: groupId,
      APP_ENV_KAFKA_CLIENT_ID: uniqueName('IT_DLQ_CLIENT'),
      KAFKA_FROM_BEGINNING: 'true',
      ...env,
    });
  const replay = async (...args: string[]) => {
    const cli = spawnSignal(
      {
        KAFKA_BROKERS: TestServices.kafkaBrokers.join(','),
        KAFKA_TOPIC_ACTIVITY_NOTIFICATION: topic,
        KAFKA_TOPIC_PHX_PUSH: phxTopic,
      },
      ['dlq:replay', ...args],
    );
    const code = await cli.exited;
    return { code, output: cli.output() };
  };
  const refundRows = () =>
    db.dataSource.query<{ content: string }[]>(
      `SELECT content FROM activity_notifications WHERE type = 'REFUND_DONE'`,
    );

  beforeAll(async () => {
    db = await createTestSchema('dlq-replay');
    kafka = testKafka('it-dlq-replay');
    admin = kafka.admin();
    producer = kafka.producer();
    await Promise.all([admin.connect(), producer.connect()]);
    await createTopic(admin, topic, 3);
    signal = await startApp();
    await producer.send({
      topic,
      messages: [
        {
          key: 'refund-1',
          value: JSON.stringify(
            aPaymentSucceeded({
              eventType: 'REFUND_DONE' as 'PAYMENT_SUCCESS',
              eventId: 'refund-1',
              data: { amount: '100.000đ' },
            }),
          ),
          headers: { 'trace-id': 'abc' },
        },
      ],
    });
    await readTopic(kafka, dlq, 1);
    await waitForCommittedToLogEnd(admin, groupId, topic);
  });

  afterAll(async () => {
    await signal.close();
    await admin.deleteTopics({ topics: [topic, dlq, phxTopic, phxDlq] }).catch(() => undefined);
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await Promise.all([admin.disconnect(), producer.disconnect()]);
    await db.drop();
  });

  it('should re-publish nothing on a dry run or with --since after the failure', async () => {
    const before = await admin.fetchTopicOffsets(topic);

    // Neither writes, so they may run side by side (each is a whole Node process to boot).
    const [dry, future] = await Promise.all([
      replay('--dry-run'),
      replay('--since', '2999-01-01T00:00:00Z'),
    ]);

    expect(dry.code).toBe(0);
    expect(dry.output).toMatch(/would replay .*UnknownEventType/);
    expect(dry.output).toContain('to replay 1');
    expect(future.code).toBe(0);
    expect(future.output).toContain('replayed 0, before --since 1');
    expect(await admin.fetchTopicOffsets(topic)).toEqual(before);
  });

  it('should refuse bad arguments with a clear message', async () => {
    const [bad, unknownTopic] = await Promise.all([
      replay('--limit', 'lots'),
      replay('--topic', `${topic}.elsewhere`),
    ]);

    expect(bad.code).toBe(1);
    expect(bad.output).toContain('--limit must be a positive integer');
    expect(unknownTopic.code).toBe(1);
    expect(unknownTopic.output).toContain(`--topic must be one of ${dlq}, ${phxDlq}`);
  });

  it('should list every dead-letter topic in --help, the activity one as the default', async () => {
    const help = await replay('--help');

    expect(help.code).toBe(0);
    expect(help.output).toMatch(new RegExp(`${dlq}\\s+→ ${topic} \\(default\\)`));
    expect(help.output).toMatch(new RegExp(`${phxDlq}\\s+→ ${phxTopic}\\n`));
  });

  it('should put a fixed message through: template added, replay, row written', async () => {
    await signal.close();
    signal = await startApp({ ACTIVITY_NOTIFICATION_TEMPLATES: REFUND_TEMPLATE });

    const result = await replay('--since', '2020-01-01T00:00:00Z', '--limit', '10');

    expect(result.code).toBe(0);
    expect(result.output).toContain('replayed 1');
    const rows = await waitFor('the replayed refund row', async () => {
      const found = await refundRows();
      return found.length > 0 ? found : undefined;
    });
    expect(rows).toEqual([{ content: 'Chị Lan đã được hoàn tiền 100.000đ' }]);

    const [letter] = await readTopic(kafka, dlq, 1);
    expect(letter.headers[DeadLetterHeaders.ERROR_CLASS]).toBe('UnknownEventType');
    expect(letter.headers['trace-id']).toBe('abc');
  });

  it('should put a PHX hand-off dead letter back on the PHX topic, chosen by --topic', async () => {
    // Stored nowhere: the Consumer dead-letters it as UnknownRequest.
    const value = JSON.stringify({ requestId: randomUUID() });
    await producer.send({ topic: phxTopic, messages: [{ key: 'user-1', value }] });
    const [letter] = await readTopic(kafka, phxDlq, 1);
    expect(letter.headers[DeadLetterHeaders.ERROR_CLASS]).toBe('UnknownRequest');

    const result = await replay('--topic', phxDlq);

    expect(result.code).toBe(0);
    expect(result.output).toContain('replayed 1');
    const [, replayed] = await readTopic(kafka, phxTopic, 2);
    expect(replayed).toMatchObject({ key: 'user-1', value });
    expect(replayed.headers['x-dlq-replayed-from']).toMatch(
      new RegExp(`^${phxTopic}\\[\\d+\\]@0$`),
    );
    expect(replayed.headers[DeadLetterHeaders.ERROR_CLASS]).toBeUndefined();
  });
});
