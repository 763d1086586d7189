import { backoffMs } from './backoff';

describe(backoffMs.name, () => {
  const doubling = { initialMs: 100, maxMs: 1_000 };

  it.each([
    [1, 100],
    [2, 200],
    [3, 400],
    [4, 800],
    [5, 1_000],
    [60, 1_000],
  ])('should wait, before retry %i, %i ms without jitter', (attempt, expected) => {
    expect(backoffMs(attempt, doubling)).toBe(expected);
  });

  it.each([
    ['no share', 0, 400],
    ['half', 0.5, 300],
    ['all', 0.999, 200],
  ])('should take %s of the jitter off the wait as random answers it', (_, random, expected) => {
    expect(backoffMs(3, { ...doubling, jitter: 0.5 }, () => random)).toBe(expected);
  });

  it('should never wait longer than maxMs, jitter or not', () => {
    const waits = Array.from({ length: 100 }, () =>
      backoffMs(10, { ...doubling, jitter: 0.2 }, Math.random),
    );

    expect(Math.max(...waits)).toBeLessThanOrEqual(1_000);
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(800);
  });
});
