import { isTransientDatabaseError } from '@signal/persistence';
import { Backoff, backoffMs } from '../../common/backoff';
import { errorMessage } from '../../common/error-message';

// The first retry this soon after a failure, the wait doubling up to the longest: an outage's
// end is noticed within that. Jittered: every instance met the same outage.
const SETTLE_BACKOFF: Backoff = { initialMs: 100, maxMs: 2_000, jitter: 0.2 };

/** A settle that stops being retried: why, and whether its deadline or a non-transient error ended it. */
export interface AbandonedSettle {
  reason: string;
  transient: boolean;
}

/**
 * Settles: writes that record work already done (a push or e-mail sent) and must land, or the
 * work is done again (or, for a hand-back, waits needlessly). One that meets a database outage
 * is retried in the background with backoff, its outcome kept in memory, while its caller goes
 * on; until it lands or its deadline passes (a claim's lease, after which another claim may take
 * the channel over). On shutdown every pending settle gets a last chance at once, bounded by the
 * grace `close` is given.
 */
export class SettleRetries {
  private readonly pending = new Set<Promise<void>>();
  private readonly sleepers = new Set<() => void>();
  /** Set by `close`: nothing is retried past it. */
  private closeBy = Infinity;

  /**
   * Runs `settle` now; should it fail transiently, resolves all the same and retries it in the
   * background until it lands or `until` (epoch ms) passes, then calls `abandon`. `settle` must be
   * safe to run again after a failure (it goes on from where it failed). A failure that is not
   * transient rejects: a bug rather than an outage.
   */
  async run(
    settle: () => Promise<void>,
    until: number,
    abandon: (why: AbandonedSettle) => void,
  ): Promise<void> {
    try {
      await settle();
    } catch (error) {
      if (!isTransientDatabaseError(error)) throw error;
      const retrying = this.retry(settle, until, abandon, error).finally(() =>
        this.pending.delete(retrying),
      );
      this.pending.add(retrying);
    }
  }

  /**
   * Shutdown: every pending settle is tried again at once, and retried until `graceMs` from now at
   * most; resolves when they are done or the grace is over.
   */
  async close(graceMs: number): Promise<void> {
    this.closeBy = Date.now() + graceMs;
    this.sleepers.forEach((wake) => wake());
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([Promise.allSettled([...this.pending]), graceOver]);
    clearTimeout(timer);
  }

  private async retry(
    settle: () => Promise<void>,
    until: number,
    abandon: (why: AbandonedSettle) => void,
    firstError: unknown,
  ): Promise<void> {
    let failure = firstError;
    for (let attempt = 1; ; attempt++) {
      const deadline = Math.min(until, this.closeBy);
      if (Date.now() >= deadline) {
        return abandon({ reason: errorMessage(failure), transient: true });
      }
      await this.sleep(Math.min(backoffMs(attempt, SETTLE_BACKOFF), deadline - Date.now()));
      try {
        return await settle();
      } catch (error) {
        if (!isTransientDatabaseError(error)) {
          return abandon({ reason: errorMessage(error), transient: false });
        }
        failure = error;
      }
    }
  }

  /** Waits `ms`, or less when `close` wakes it. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }
}
