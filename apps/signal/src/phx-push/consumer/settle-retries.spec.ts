import { AbandonedSettle, SettleRetries } from './settle-retries';

const outage = () =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

/** A settle that fails with `failures` in turn, then lands; counts its runs. */
function aSettle(...failures: Error[]) {
  const settle = jest.fn(() => {
    const failure = failures.shift();
    return failure ? Promise.reject(failure) : Promise.resolve();
  });
  return settle;
}

describe(SettleRetries.name, () => {
  let abandoned: AbandonedSettle[];
  const abandon = (why: AbandonedSettle) => abandoned.push(why);

  beforeEach(() => {
    jest.useFakeTimers();
    abandoned = [];
  });

  afterEach(() => jest.useRealTimers());

  it('should resolve at once when the database refuses, and retry in the background until the settle lands', async () => {
    const sut = new SettleRetries();
    const settle = aSettle(outage(), outage(), outage());

    await sut.run(settle, Date.now() + 60_000, abandon);
    expect(settle).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(10_000);

    expect(settle).toHaveBeenCalledTimes(4);
    expect(abandoned).toEqual([]);
  });

  it('should stop retrying once its deadline passes, trying a last time at the deadline', async () => {
    const sut = new SettleRetries();
    const settle = jest.fn(() => Promise.reject(outage()));

    await sut.run(settle, Date.now() + 5_000, abandon);
    await jest.advanceTimersByTimeAsync(4_999);
    const tries = settle.mock.calls.length;
    expect(abandoned).toEqual([]);
    await jest.advanceTimersByTimeAsync(60_000);

    expect(settle).toHaveBeenCalledTimes(tries + 1);
    expect(abandoned).toEqual([{ reason: 'connect ECONNREFUSED 127.0.0.1:5432', transient: true }]);
  });

  it('should reject a failure that is not an outage, and give up a retry that meets one', async () => {
    const sut = new SettleRetries();
    const bug = new Error('column "x" does not exist');

    await expect(sut.run(aSettle(bug), Date.now() + 60_000, abandon)).rejects.toBe(bug);
    await sut.run(aSettle(outage(), bug), Date.now() + 60_000, abandon);
    await jest.advanceTimersByTimeAsync(1_000);

    expect(abandoned).toEqual([{ reason: bug.message, transient: false }]);
  });

  it('should give each pending settle a last chance at once on close, within the grace it is given', async () => {
    const sut = new SettleRetries();
    const landing = aSettle(outage(), outage(), outage(), outage(), outage());
    const failing = jest.fn(() => Promise.reject(outage()));
    await sut.run(landing, Date.now() + 60_000, abandon);
    await sut.run(failing, Date.now() + 60_000, abandon);
    // Five tries so far (at 0, 0.1, 0.3, 0.7, 1.5 s); the next ones 1.1 s away.
    await jest.advanceTimersByTimeAsync(2_000);
    const landingTries = landing.mock.calls.length;

    let closed = false;
    const closing = sut.close(1_000).then(() => (closed = true));
    await jest.advanceTimersByTimeAsync(0);
    expect(landing.mock.calls.length).toBeGreaterThan(landingTries);
    await jest.advanceTimersByTimeAsync(1_000);
    await closing;

    expect(closed).toBe(true);
    expect(abandoned).toEqual([{ reason: 'connect ECONNREFUSED 127.0.0.1:5432', transient: true }]);
    // Nothing is retried after the grace.
    const failingTries = failing.mock.calls.length;
    await jest.advanceTimersByTimeAsync(60_000);
    expect(failing).toHaveBeenCalledTimes(failingTries);
  });
});
