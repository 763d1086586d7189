import { ActivityNotificationRepository } from '@signal/persistence';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { canonicalJson } from '../../apps/signal/src/common/content-key';

/**
 * The seed's design, for comparison: one message at a time, one insert in its own transaction,
 * one offset commit, no batching. It persists only (no socket emit), which flatters it.
 * Resolves with the messages per second once `expected` messages are stored.
 */
export async function runSeedBaseline(options: {
  kafka: Kafka;
  dataSource: DataSource;
  topic: string;
  expected: number;
  onProgress: (done: number) => void;
}): Promise<number> {
  const repository = new ActivityNotificationRepository(options.dataSource);
  const consumer = options.kafka.consumer({ groupId: `bench-seed-baseline-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topics: [options.topic], fromBeginning: true });
  let done = 0;
  let startedAt = 0;
  const finished = new Promise<number>((resolve) => {
    void consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => {
        startedAt ||= performance.now();
        const value = JSON.parse(message.value!.toString()) as {
          recipientIds: string[];
          organizerId: string;
          actorId: string;
          actor: { id: string; name: string; type: string };
          data: Record<string, unknown>;
          occurredAt: string;
          eventId: string;
        };
        await repository.insertIgnoringDuplicates([
          {
            dedupKey: value.eventId ?? canonicalJson(value),
            recipientId: value.recipientIds[0],
            type: 'PAYMENT_SUCCESS',
            recipientScope: 'users',
            organizerId: value.organizerId,
            merchantId: null,
            actorId: value.actorId,
            actor: value.actor,
            content: `${value.actor.name} đã thanh toán thành công`,
            actionUrl: null,
            data: value.data,
            occurredAt: new Date(value.occurredAt),
          },
        ]);
        await consumer.commitOffsets([
          { topic, partition, offset: (BigInt(message.offset) + 1n).toString() },
        ]);
        if (++done % 2000 === 0) options.onProgress(done);
        if (done === options.expected) resolve((done * 1000) / (performance.now() - startedAt));
      },
    });
  });
  try {
    return await finished;
  } finally {
    await consumer.disconnect();
  }
}
