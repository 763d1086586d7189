import { backoffMs } from '../common/backoff';
import { errorMessage } from '../common/error-message';
import { KafkaBatchOutcome, KafkaRejectedMessage } from './kafka-batch.types';

// Share of a retry wait taken off at random: instances an outage failed together spread out.
const BACKOFF_JITTER = 0.2;

export interface BatchRetrySettings {
  /** Non-transient failures of one message before it is dead-lettered. */
  maxAttempts: number;
  retryInitialMs: number;
  retryMaxMs: number;
}

/**
 * What the transport does after an attempt at a batch: `settle` dead-letters `rejected` and
 * commits the batch; `isolate` retries each message on its own, so that only the culprit is
 * dead-lettered; `retry` waits, then runs the same batch again.
 */
export type BatchStep =
  | { kind: 'settle'; rejected: KafkaRejectedMessage[] }
  | { kind: 'isolate' }
  | { kind: 'retry'; reason: string };

/**
 * When to retry a batch, isolate a failing message from it, and dead-letter it. Transient
 * failures are retried without limit; others `maxAttempts` times, then a batch of several
 * messages is split and a single message dead-lettered as `ProcessingFailed`. Pure: no clock, no
 * Kafka.
 */
export class BatchRetryPolicy {
  constructor(private readonly settings: BatchRetrySettings) {}

  /** The step after attempt `attempt` (1 for the first) at the messages at `offsets`. */
  next(outcome: KafkaBatchOutcome, attempt: number, offsets: string[]): BatchStep {
    if (outcome.kind === 'done') return { kind: 'settle', rejected: outcome.rejected };
    if (outcome.transient || attempt < this.settings.maxAttempts) {
      return { kind: 'retry', reason: outcome.reason };
    }
    if (offsets.length > 1) return { kind: 'isolate' };
    const failed = { offset: offsets[0], errorClass: 'ProcessingFailed', message: outcome.reason };
    return { kind: 'settle', rejected: [failed] };
  }

  /** The wait after attempt `attempt`, jittered; `random` answers in [0, 1). */
  delayMs(attempt: number, random: () => number = Math.random): number {
    const { retryInitialMs: initialMs, retryMaxMs: maxMs } = this.settings;
    return backoffMs(attempt, { initialMs, maxMs, jitter: BACKOFF_JITTER }, random);
  }
}

/**
 * A handler's answer as an outcome: anything but one (nothing returned, an exception after Nest's
 * filters) counts as a non-transient failure, which the attempts bound.
 */
export function outcomeOf(answer: { returned: unknown } | { thrown: unknown }): KafkaBatchOutcome {
  if ('thrown' in answer) {
    return { kind: 'retry', transient: false, reason: errorMessage(answer.thrown) };
  }
  if (isOutcome(answer.returned)) return answer.returned;
  return { kind: 'retry', transient: false, reason: 'handler returned no outcome' };
}

function isOutcome(value: unknown): value is KafkaBatchOutcome {
  return (
    typeof value === 'object' &&
    value !== null &&
    ((value as KafkaBatchOutcome).kind === 'done' || (value as KafkaBatchOutcome).kind === 'retry')
  );
}
