import { TActivityNotificationMessage } from '@signal/core';
import { Admin, Consumer, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { uniqueName } from './unique-name';
import { waitFor } from './wait-for';

/** A valid PAYMENT_SUCCESS message; override what a test is about. */
export function aPaymentSucceeded(
  overrides: Partial<TActivityNotificationMessage> = {},
): TActivityNotificationMessage {
  return {
    eventType: 'PAYMENT_SUCCESS',
    recipientScope: 'org',
    actorId: 'parent-7',
    actor: { id: 'parent-7', name: 'Chị Lan', type: 'parent' },
    organizerId: 'org-1',
    data: { payment: { id: `pay-${randomUUID().slice(0, 8)}`, subject: 'Học phí tháng 11' } },
    occurredAt: '2026-11-22T08:00:00.000Z',
    ...overrides,
  };
}

export interface DeadLetter {
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

/** Reads a whole topic from the beginning into memory, for assertions on the dead-letter topic. */
export async function readTopic(kafka: Kafka, topic: string, count: number, timeoutMs = 20_000) {
  const consumer: Consumer = kafka.consumer({ groupId: uniqueName('it-reader') });
  const read: DeadLetter[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachMessage: ({ message }: { message: KafkaMessage }) => {
      read.push({
        key: message.key?.toString() ?? null,
        value: message.value?.toString() ?? null,
        headers: stringHeaders(message.headers),
      });
      return Promise.resolve();
    },
  });
  try {
    return await waitFor(
      `${count} messages on ${topic}`,
      () => (read.length >= count ? read : undefined),
      {
        timeoutMs,
      },
    );
  } finally {
    await consumer.disconnect();
  }
}

function stringHeaders(headers: IHeaders | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers ?? {}).map(([name, value]) => [name, String(value)]),
  );
}

/** Committed offsets of `groupId` equal the log end offsets of `topic`: nothing left to process. */
export async function waitForCommittedToLogEnd(admin: Admin, groupId: string, topic: string) {
  return waitFor(
    `group ${groupId} to commit up to the end of ${topic}`,
    async () => {
      const ends = await admin.fetchTopicOffsets(topic);
      const [{ partitions }] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const committed = new Map(partitions.map((p) => [p.partition, p.offset]));
      const done = ends.every(
        (end) => committed.get(end.partition) === end.high || end.high === '0',
      );
      return done ? ends : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 250 },
  );
}
