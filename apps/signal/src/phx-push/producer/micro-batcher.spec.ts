import {
  MicroBatcher,
  MicroBatcherFullError,
  MicroBatcherOptions,
  MicroBatcherTimeoutError,
} from './micro-batcher';

const options = (overrides: Partial<MicroBatcherOptions> = {}): MicroBatcherOptions => ({
  maxBatch: 100,
  maxInFlight: 1,
  maxWaiting: 1000,
  maxWaitMs: 60_000,
  isTiedToItems: () => true,
  ...overrides,
});

describe(MicroBatcher.name, () => {
  it('should answer each call in order from one batch when they arrive together', async () => {
    const batches: number[][] = [];
    const sut = new MicroBatcher((items: number[]) => {
      batches.push(items);
      return Promise.resolve(items.map((item) => item * 10));
    }, options());

    const results = await Promise.all([1, 2, 3].map((item) => sut.run(item)));

    expect(results).toEqual([10, 20, 30]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('should hold calls while the slots are busy and never exceed the batch size', async () => {
    const batches: number[][] = [];
    let release: () => void = () => undefined;
    const firstDone = new Promise<void>((resolve) => (release = resolve));
    const sut = new MicroBatcher(
      async (items: number[]) => {
        batches.push(items);
        if (batches.length === 1) await firstDone;
        return items;
      },
      options({ maxBatch: 2 }),
    );

    const first = sut.run(1);
    await new Promise((resolve) => setImmediate(resolve));
    const later = [2, 3, 4].map((item) => sut.run(item));
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1]]);
    release();

    expect(await Promise.all([first, ...later])).toEqual([1, 2, 3, 4]);
    expect(batches).toEqual([[1], [2, 3], [4]]);
  });

  it('should fail every call of a batch whose failure concerns every item, and go on with the next', async () => {
    let fail = true;
    const batches: number[][] = [];
    const sut = new MicroBatcher(
      (items: number[]) => {
        batches.push(items);
        return fail ? Promise.reject(new Error('database away')) : Promise.resolve(items);
      },
      options({
        maxInFlight: 2,
        isTiedToItems: (error) => (error as Error).message !== 'database away',
      }),
    );

    const failed = await Promise.allSettled([sut.run(1), sut.run(2)]);
    fail = false;

    expect(failed.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(batches).toEqual([[1, 2]]);
    expect(await sut.run(3)).toBe(3);
  });

  it('should fail only the items a batch fails for, answering their batch-mates', async () => {
    const batches: number[][] = [];
    const sut = new MicroBatcher((items: number[]) => {
      batches.push(items);
      return items.includes(13) || items.includes(7)
        ? Promise.reject(new Error('cannot store'))
        : Promise.resolve(items.map((item) => item * 10));
    }, options());

    const settled = await Promise.allSettled(
      Array.from({ length: 16 }, (_, item) => sut.run(item)),
    );

    expect(
      settled.map((result) => (result.status === 'fulfilled' ? result.value : 'failed')),
    ).toEqual(
      Array.from({ length: 16 }, (_, item) => (item === 7 || item === 13 ? 'failed' : item * 10)),
    );
    // Halves, not one run per item: 16 → 8 + 8 → 4 + 4 + 4 + 4 → … about 2 log2(16) runs per culprit.
    expect(batches.length).toBeLessThan(16);
  });

  it('should refuse a call beyond maxWaiting at once, and take calls again once they drain', async () => {
    let release: () => void = () => undefined;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    const sut = new MicroBatcher(
      async (items: number[]) => {
        await blocked;
        return items;
      },
      options({ maxBatch: 1, maxWaiting: 2 }),
    );

    const first = sut.run(1);
    await new Promise((resolve) => setImmediate(resolve));
    const waiting = [sut.run(2), sut.run(3)];
    await expect(sut.run(4)).rejects.toEqual(new MicroBatcherFullError(2));
    release();

    expect(await Promise.all([first, ...waiting])).toEqual([1, 2, 3]);
    expect(await sut.run(5)).toBe(5);
  });

  it('should fail a call no batch took within maxWaitMs, and run the others once a slot frees', async () => {
    jest.useFakeTimers();
    try {
      let release: () => void = () => undefined;
      const blocked = new Promise<void>((resolve) => (release = resolve));
      const batches: number[][] = [];
      const sut = new MicroBatcher(
        async (items: number[]) => {
          batches.push(items);
          if (batches.length === 1) await blocked;
          return items;
        },
        options({ maxBatch: 1, maxWaitMs: 1000 }),
      );

      const first = sut.run(1);
      await jest.advanceTimersByTimeAsync(0);
      const late = sut.run(2);
      const lateOutcome = late.catch((error: unknown) => error);
      await jest.advanceTimersByTimeAsync(1000);
      const third = sut.run(3);
      release();
      await jest.advanceTimersByTimeAsync(0);

      expect(await lateOutcome).toEqual(new MicroBatcherTimeoutError(1000));
      expect(await Promise.all([first, third])).toEqual([1, 3]);
      expect(batches).toEqual([[1], [3]]);
    } finally {
      jest.useRealTimers();
    }
  });
});
