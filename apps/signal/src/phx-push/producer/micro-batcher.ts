interface Waiting<I, O> {
  item: I;
  resolve: (result: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Coalesces calls that arrive close together into one call of `runBatch` (results in input
 * order), so that concurrent requests share database round trips. An idle batcher runs a lone
 * call right after the current I/O phase; under load, calls wait for a free slot and go out
 * together. A failing batch fails each of its calls.
 */
export class MicroBatcher<I, O> {
  private waiting: Waiting<I, O>[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly runBatch: (items: I[]) => Promise<O[]>,
    private readonly limits: { maxBatch: number; maxInFlight: number },
  ) {}

  run(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.waiting.length === 0) return;
    if (this.inFlight >= this.limits.maxInFlight) return;
    this.scheduled = true;
    // setImmediate runs after the I/O phase: requests parsed in the same phase join the batch.
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    const batch = this.waiting.splice(0, this.limits.maxBatch);
    if (batch.length === 0) return;
    this.inFlight++;
    this.schedule();
    try {
      const results = await this.runBatch(batch.map(({ item }) => item));
      batch.forEach(({ resolve }, index) => resolve(results[index]));
    } catch (error) {
      batch.forEach(({ reject }) => reject(error));
    } finally {
      this.inFlight--;
      this.schedule();
    }
  }
}
