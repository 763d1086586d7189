/**
 * Headers Signal adds to a message it moves to a dead-letter topic, next to the message's own
 * headers. On the wire: operators and the replay command read them.
 */
export const DeadLetterHeaders = {
  ORIGINAL_TOPIC: 'x-dlq-original-topic',
  ORIGINAL_PARTITION: 'x-dlq-original-partition',
  ORIGINAL_OFFSET: 'x-dlq-original-offset',
  ORIGINAL_TIMESTAMP: 'x-dlq-original-timestamp',
  ERROR_CLASS: 'x-dlq-error-class',
  ERROR_MESSAGE: 'x-dlq-error-message',
  ATTEMPTS: 'x-dlq-attempts',
  FAILED_AT: 'x-dlq-failed-at',
} as const;

/** Optional header of an inbound message that names it for deduplication, like `eventId`. */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
