import { DeadLetterHeaders } from '@signal/core';
import { Kafka, KafkaMessage } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { headersToStrings } from './kafka-headers';

export interface DeadLetterReplayOptions {
  deadLetterTopic: string;
  /** Where a dead letter goes back to when it does not name its original topic. */
  fallbackTopic: string;
  /** Only dead letters that failed at or after this time. */
  since?: Date;
  /** At most this many are re-published. */
  limit?: number;
  /** Gives up when the dead-letter topic cannot be read to its end in this time. Default 60 s. */
  timeoutMs?: number;
  dryRun?: boolean;
  onProgress?: (line: string) => void;
}

export interface DeadLetterReplayReport {
  scanned: number;
  replayed: number;
  skippedBeforeSince: number;
}

const REPLAYED_FROM_HEADER = 'x-dlq-replayed-from';
const DLQ_HEADER_NAMES = new Set<string>(Object.values(DeadLetterHeaders));

/**
 * Re-publishes dead letters to the topic they came from, without Signal's dead-letter headers,
 * after their cause has been fixed. Reads the dead-letter topic up to its end at the moment the
 * replay starts, so it always stops; Signal's idempotent consumer makes a second replay harmless.
 */
export async function replayDeadLetters(
  kafka: Kafka,
  options: DeadLetterReplayOptions,
): Promise<DeadLetterReplayReport> {
  const report: DeadLetterReplayReport = { scanned: 0, replayed: 0, skippedBeforeSince: 0 };
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const admin = kafka.admin();
  const producer = kafka.producer();
  const groupId = `signal-dlq-replay-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId });
  await Promise.all([admin.connect(), producer.connect()]);
  try {
    const ends = new Map(
      (await admin.fetchTopicOffsets(options.deadLetterTopic)).map((end) => [
        end.partition,
        BigInt(end.high),
      ]),
    );
    const pending = new Set(
      [...ends].filter(([, high]) => high > 0n).map(([partition]) => partition),
    );
    if (pending.size === 0) return report;

    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    await consumer.connect();
    await consumer.subscribe({ topics: [options.deadLetterTopic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        const offset = BigInt(message.offset);
        if (!pending.has(partition) || report.replayed >= limit) return;
        report.scanned++;
        await replayOne(producer, message, options, report);
        if (offset + 1n >= ends.get(partition)!) pending.delete(partition);
        if (pending.size === 0 || report.replayed >= limit) finish();
      },
    });
    const timeoutMs = options.timeoutMs ?? 60_000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `could not read ${options.deadLetterTopic} to its end within ${timeoutMs} ms`,
            ),
          ),
        timeoutMs,
      );
    });
    await Promise.race([finished, timedOut]).finally(() => clearTimeout(timer));
    return report;
  } finally {
    await consumer.disconnect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await Promise.all([admin.disconnect(), producer.disconnect()]);
  }
}

async function replayOne(
  producer: ReturnType<Kafka['producer']>,
  message: KafkaMessage,
  options: DeadLetterReplayOptions,
  report: DeadLetterReplayReport,
): Promise<void> {
  const headers = headersToStrings(message.headers);
  const failedAt = new Date(headers[DeadLetterHeaders.FAILED_AT] ?? 0);
  if (options.since && failedAt < options.since) {
    report.skippedBeforeSince++;
    return;
  }
  const topic = headers[DeadLetterHeaders.ORIGINAL_TOPIC] ?? options.fallbackTopic;
  const origin = `${headers[DeadLetterHeaders.ORIGINAL_TOPIC]}[${headers[DeadLetterHeaders.ORIGINAL_PARTITION]}]@${headers[DeadLetterHeaders.ORIGINAL_OFFSET]}`;
  const original = Object.fromEntries(
    Object.entries(headers).filter(
      ([name]) => !DLQ_HEADER_NAMES.has(name) && name !== REPLAYED_FROM_HEADER,
    ),
  );
  if (!options.dryRun) {
    await producer.send({
      topic,
      messages: [
        {
          key: message.key,
          value: message.value,
          headers: { ...original, [REPLAYED_FROM_HEADER]: origin },
        },
      ],
    });
  }
  report.replayed++;
  options.onProgress?.(
    `${options.dryRun ? 'would replay' : 'replayed'} ${origin} (${headers[DeadLetterHeaders.ERROR_CLASS]}: ${headers[DeadLetterHeaders.ERROR_MESSAGE]})`,
  );
}
