import { BatchRetryPolicy, BatchStep, outcomeOf } from './batch-retry.policy';
import { KafkaBatchOutcome } from './kafka-batch.types';

const rejected = [{ offset: '4', errorClass: 'InvalidJson', message: 'value is not JSON' }];
const done: KafkaBatchOutcome = { kind: 'done', rejected };
const transient: KafkaBatchOutcome = { kind: 'retry', transient: true, reason: 'db away' };
const failing: KafkaBatchOutcome = { kind: 'retry', transient: false, reason: 'bug' };

describe(BatchRetryPolicy.name, () => {
  const sut = new BatchRetryPolicy({ maxAttempts: 3, retryInitialMs: 100, retryMaxMs: 1000 });

  it.each<[string, KafkaBatchOutcome, number, string[], BatchStep]>([
    [
      'settle a done batch, its rejections included',
      done,
      1,
      ['3', '4'],
      { kind: 'settle', rejected },
    ],
    ['settle a done batch after retries', done, 7, ['3'], { kind: 'settle', rejected }],
    ['retry a transient failure', transient, 1, ['3', '4'], { kind: 'retry', reason: 'db away' }],
    [
      'retry a transient failure past the attempts',
      transient,
      50,
      ['3'],
      { kind: 'retry', reason: 'db away' },
    ],
    [
      'retry a failure below the attempts',
      failing,
      2,
      ['3', '4'],
      { kind: 'retry', reason: 'bug' },
    ],
    [
      'isolate the messages of a batch failing at the last attempt',
      failing,
      3,
      ['3', '4'],
      { kind: 'isolate' },
    ],
    ['isolate past the attempts too', failing, 4, ['3', '4'], { kind: 'isolate' }],
    [
      'dead-letter a single message failing at the last attempt',
      failing,
      3,
      ['4'],
      {
        kind: 'settle',
        rejected: [{ offset: '4', errorClass: 'ProcessingFailed', message: 'bug' }],
      },
    ],
  ])('should %s', (_case, outcome, attempt, offsets, expected) => {
    expect(sut.next(outcome, attempt, offsets)).toEqual(expected);
  });

  it.each([
    // attempt, random, wait: doubling from 100 ms up to 1000 ms, less up to 20 % at random.
    [1, 0, 100],
    [2, 0, 200],
    [4, 0, 800],
    [5, 0, 1000],
    [30, 0, 1000],
    [1, 0.5, 90],
    [5, 0.999, 800],
  ])('should wait, after attempt %i with random %d, %i ms', (attempt, random, wait) => {
    expect(sut.delayMs(attempt, () => random)).toBe(wait);
  });
});

describe(outcomeOf.name, () => {
  it.each<[string, { returned: unknown } | { thrown: unknown }, KafkaBatchOutcome]>([
    ['take a done outcome as it is', { returned: done }, done],
    ['take a retry outcome as it is', { returned: transient }, transient],
    [
      'count nothing returned as a failure',
      { returned: undefined },
      { kind: 'retry', transient: false, reason: 'handler returned no outcome' },
    ],
    [
      'count an answer of another shape as a failure',
      { returned: { kind: 'ok' } },
      { kind: 'retry', transient: false, reason: 'handler returned no outcome' },
    ],
    [
      'count an exception as a non-transient failure, with its message',
      { thrown: new Error('boom') },
      { kind: 'retry', transient: false, reason: 'boom' },
    ],
  ])('should %s', (_case, answer, expected) => {
    expect(outcomeOf(answer)).toEqual(expected);
  });
});
