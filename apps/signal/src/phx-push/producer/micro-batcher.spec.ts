import { MicroBatcher } from './micro-batcher';

describe(MicroBatcher.name, () => {
  it('should answer each call in order from one batch when they arrive together', async () => {
    const batches: number[][] = [];
    const sut = new MicroBatcher(
      (items: number[]) => {
        batches.push(items);
        return Promise.resolve(items.map((item) => item * 10));
      },
      { maxBatch: 100, maxInFlight: 1 },
    );

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
      { maxBatch: 2, maxInFlight: 1 },
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

  it('should fail every call of a failing batch, and go on with the next', async () => {
    let fail = true;
    const sut = new MicroBatcher(
      (items: number[]) =>
        fail ? Promise.reject(new Error('database away')) : Promise.resolve(items),
      { maxBatch: 10, maxInFlight: 2 },
    );

    const failed = await Promise.allSettled([sut.run(1), sut.run(2)]);
    fail = false;

    expect(failed.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(await sut.run(3)).toBe(3);
  });
});
