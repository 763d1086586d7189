import { InFlightBatches } from './in-flight-batches';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describe(InFlightBatches.name, () => {
  let sut: InFlightBatches;

  beforeEach(() => {
    sut = new InFlightBatches();
  });

  it('should drain at once when no batch is in flight', async () => {
    await sut.drain();

    expect(sut.isDraining).toBe(true);
  });

  it('should drain once every batch in flight is done', async () => {
    const first = deferred();
    const second = deferred();
    const running = [sut.run(() => first.promise), sut.run(() => second.promise)];
    let drained = false;
    const drain = sut.drain().then(() => (drained = true));

    first.resolve();
    await running[0];
    await Promise.resolve();
    expect(drained).toBe(false);
    second.resolve();
    await drain;
    expect(drained).toBe(true);
  });

  it('should count a batch that failed as done', async () => {
    const failing = sut.run(() => Promise.reject(new Error('bug')));

    await expect(failing).rejects.toThrow('bug');
    await sut.drain();
  });

  it('should start no batch once draining', async () => {
    const work = jest.fn(() => Promise.resolve());
    await sut.drain();

    await sut.run(work);

    expect(work).not.toHaveBeenCalled();
  });
});
