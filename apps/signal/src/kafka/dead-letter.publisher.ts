import { Logger } from '@nestjs/common';
import { CORRELATION_ID_HEADER, DeadLetterHeaders, KafkaTopics } from '@signal/core';
import { truncateText } from '../common/text-excerpt';
import { CorrelationContext, validCorrelationId } from '../logging/correlation-context';
import { FetchedMessage, MessageProducer, OutboundMessage } from './kafka-client';
import { KafkaBatchMetrics } from './kafka-batch.metrics';
import { KafkaRejectedMessage } from './kafka-batch.types';

// Characters of a dead-letter reason kept in its header and log line.
const DEAD_LETTER_REASON_MAX = 2000;

// KafkaTopics names each dead-letter topic after its topic, with this suffix; topics named per
// environment (KAFKA_TOPIC_*) take the same.
const DEAD_LETTER_SUFFIX = KafkaTopics.SIGNAL_ACTIVITY_NOTIFICATION_DLQ.slice(
  KafkaTopics.SIGNAL_ACTIVITY_NOTIFICATION.length,
);

/** Where the messages of `topic` that can never succeed go. */
export function deadLetterTopicOf(topic: string): string {
  return `${topic}${DEAD_LETTER_SUFFIX}`;
}

/** Where the rejected messages come from: one partition of a topic. */
export interface DeadLetterSource {
  topic: string;
  partition: number;
  /** The fetched messages the rejected ones are among. */
  messages: FetchedMessage[];
}

/**
 * The dead letters of `rejected`: key, value and headers as received, plus headers naming their
 * origin and why they failed. Reasons may quote what the message carried: what is echoed is bounded.
 */
export function deadLetterRecords(
  { topic, partition, messages }: DeadLetterSource,
  rejected: KafkaRejectedMessage[],
  attempts: number,
  failedAt: Date,
): OutboundMessage[] {
  const byOffset = new Map(messages.map((message) => [message.offset, message]));
  return rejected.map((rejection) => {
    const original = byOffset.get(rejection.offset)!;
    return {
      key: original.key,
      value: original.value,
      headers: {
        ...original.headers,
        [DeadLetterHeaders.ORIGINAL_TOPIC]: topic,
        [DeadLetterHeaders.ORIGINAL_PARTITION]: String(partition),
        [DeadLetterHeaders.ORIGINAL_OFFSET]: original.offset,
        [DeadLetterHeaders.ORIGINAL_TIMESTAMP]: original.timestamp,
        [DeadLetterHeaders.ERROR_CLASS]: rejection.errorClass,
        [DeadLetterHeaders.ERROR_MESSAGE]: reasonOf(rejection),
        [DeadLetterHeaders.ATTEMPTS]: String(attempts),
        [DeadLetterHeaders.FAILED_AT]: failedAt.toISOString(),
      },
    };
  });
}

/** Sends messages that can never succeed to their topic's dead-letter topic, counted and logged. */
export class DeadLetterPublisher {
  private readonly logger = new Logger(DeadLetterPublisher.name);

  constructor(
    private readonly producer: MessageProducer,
    private readonly metrics: KafkaBatchMetrics,
  ) {}

  async publish(
    source: DeadLetterSource,
    rejected: KafkaRejectedMessage[],
    attempts: number,
  ): Promise<void> {
    if (rejected.length === 0) return;
    const { topic, partition, messages } = source;
    const letters = deadLetterRecords(source, rejected, attempts, new Date());
    await this.producer.send(deadLetterTopicOf(topic), letters);
    const headersOf = new Map(messages.map(({ offset, headers }) => [offset, headers]));
    for (const rejection of rejected) {
      this.metrics.deadLettered(topic, rejection.errorClass);
      const correlationId = validCorrelationId(
        headersOf.get(rejection.offset)![CORRELATION_ID_HEADER],
      );
      CorrelationContext.run(correlationId, () =>
        this.logger.warn(
          `${topic}[${partition}]@${rejection.offset} dead-lettered: ${rejection.errorClass}: ${reasonOf(rejection)}`,
        ),
      );
    }
  }
}

function reasonOf(rejection: KafkaRejectedMessage): string {
  return truncateText(rejection.message, DEAD_LETTER_REASON_MAX);
}
