interface Waiting<I, O> {
  item: I;
  resolve: (result: O) => void;
  reject: (error: unknown) => void;
  /** Fails the call if no batch takes it within `maxWaitMs`. */
  timer: NodeJS.Timeout;
}

/** `run` refused a call: as many as `options.maxWaiting` are waiting already. */
export class MicroBatcherFullError extends Error {
  constructor(readonly waiting: number) {
    super(`${waiting} calls are waiting for a batch`);
    this.name = MicroBatcherFullError.name;
  }
}

/** No batch took the call within `maxWaitMs`: every slot stayed busy (a database that hangs). */
export class MicroBatcherTimeoutError extends Error {
  constructor(readonly waitedMs: number) {
    super(`no batch slot came free within ${waitedMs} ms`);
    this.name = MicroBatcherTimeoutError.name;
  }
}

export interface MicroBatcherOptions {
  /** Calls per batch. */
  maxBatch: number;
  /** Batches running at once. */
  maxInFlight: number;
  /** Calls waiting for a batch; one more is refused with `MicroBatcherFullError`. */
  maxWaiting: number;
  /** Longest a call waits for a batch; then it fails with `MicroBatcherTimeoutError`. */
  maxWaitMs: number;
  /**
   * Whether a failure comes from some of the batch's items (a value the database refused): the
   * batch is then split in halves, each run again, until the failing items are alone. Any other
   * failure (a database that cannot be reached) fails every call of the batch.
   */
  isTiedToItems: (error: unknown) => boolean;
}

/**
 * Coalesces calls that arrive close together into one call of `runBatch` (results in input
 * order), so that concurrent requests share database round trips. An idle batcher runs a lone
 * call right after the current I/O phase; under load, calls wait for a free slot and go out
 * together, up to `maxWaiting` of them for at most `maxWaitMs`. A failure tied to one item fails that item alone: its
 * batch-mates get their own answers (`runBatch` must be safe to run again on a subset, e.g. an
 * atomic statement that failed wrote nothing).
 */
export class MicroBatcher<I, O> {
  private waiting: Waiting<I, O>[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly runBatch: (items: I[]) => Promise<O[]>,
    private readonly options: MicroBatcherOptions,
  ) {}

  run(item: I): Promise<O> {
    if (this.waiting.length >= this.options.maxWaiting) {
      return Promise.reject(new MicroBatcherFullError(this.waiting.length));
    }
    return new Promise<O>((resolve, reject) => {
      const waiting: Waiting<I, O> = {
        item,
        resolve,
        reject,
        timer: setTimeout(() => {
          const index = this.waiting.indexOf(waiting);
          if (index !== -1) this.waiting.splice(index, 1);
          reject(new MicroBatcherTimeoutError(this.options.maxWaitMs));
        }, this.options.maxWaitMs),
      };
      this.waiting.push(waiting);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.waiting.length === 0) return;
    if (this.inFlight >= this.options.maxInFlight) return;
    this.scheduled = true;
    // setImmediate runs after the I/O phase: requests parsed in the same phase join the batch.
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    const batch = this.waiting.splice(0, this.options.maxBatch);
    if (batch.length === 0) return;
    batch.forEach(({ timer }) => clearTimeout(timer));
    this.inFlight++;
    this.schedule();
    try {
      await this.settle(batch);
    } finally {
      this.inFlight--;
      this.schedule();
    }
  }

  /** Runs `batch`; on a failure tied to its items, each half again, down to single calls. */
  private async settle(batch: Waiting<I, O>[]): Promise<void> {
    try {
      const results = await this.runBatch(batch.map(({ item }) => item));
      batch.forEach(({ resolve }, index) => resolve(results[index]));
    } catch (error) {
      if (batch.length === 1 || !this.options.isTiedToItems(error)) {
        batch.forEach(({ reject }) => reject(error));
        return;
      }
      const half = Math.ceil(batch.length / 2);
      await this.settle(batch.slice(0, half));
      await this.settle(batch.slice(half));
    }
  }
}
