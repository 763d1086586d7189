/**
 * The batches a consumer is working on, so that a shutdown can let them finish and commit: once
 * `drain` is called no new batch starts, and it resolves when the last one in flight is done.
 */
export class InFlightBatches {
  private count = 0;
  private draining = false;
  private readonly idleWaiters: (() => void)[] = [];

  get isDraining(): boolean {
    return this.draining;
  }

  /** Runs one batch's `work`, unless draining has begun. */
  async run(work: () => Promise<void>): Promise<void> {
    if (this.draining) return;
    this.count++;
    try {
      await work();
    } finally {
      if (--this.count === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve());
    }
  }

  drain(): Promise<void> {
    this.draining = true;
    return this.count === 0
      ? Promise.resolve()
      : new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
