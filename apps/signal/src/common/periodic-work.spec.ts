import { PeriodicWork } from './periodic-work';

describe(PeriodicWork.name, () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('should not start a run while the previous one is in progress, and wait for it on stop', async () => {
    let finish: () => void = () => undefined;
    const work = jest.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const sut = new PeriodicWork(work, 100);

    sut.start();
    await jest.advanceTimersByTimeAsync(350);
    expect(work).toHaveBeenCalledTimes(1);

    let stopped = false;
    const stopping = sut.stop().then(() => (stopped = true));
    await jest.advanceTimersByTimeAsync(0);
    expect(sut.active).toBe(false);
    expect(stopped).toBe(false);

    finish();
    await stopping;
    await jest.advanceTimersByTimeAsync(500);
    expect(work).toHaveBeenCalledTimes(1);
  });

  it('should run at once when asked to, then every interval, and wait for that run on stop', async () => {
    let finish: () => void = () => undefined;
    const work = jest.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const sut = new PeriodicWork(work, 100);

    sut.start({ now: true });
    expect(work).toHaveBeenCalledTimes(1);
    let stopped = false;
    const stopping = sut.stop().then(() => (stopped = true));
    await jest.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);

    finish();
    await stopping;
    expect(stopped).toBe(true);
  });

  it('should run again once a run is over', async () => {
    const work = jest.fn(() => Promise.resolve());
    const sut = new PeriodicWork(work, 100);

    sut.start();
    await jest.advanceTimersByTimeAsync(350);
    await sut.stop();

    expect(work).toHaveBeenCalledTimes(3);
  });
});
