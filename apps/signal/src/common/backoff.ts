/** Exponential backoff: the first wait, doubling up to the longest. */
export interface Backoff {
  initialMs: number;
  maxMs: number;
  /**
   * The share of each wait (0 to 1) taken off at random, so that the clients an outage failed
   * together do not all come back at the same moment. Taken off, never added: no wait exceeds
   * `maxMs`. Default: `0`.
   */
  jitter?: number;
}

/**
 * The wait before retry `attempt` (1 for the first): `initialMs × 2^(attempt − 1)`, at most
 * `maxMs`, less up to `jitter` of it. `random` answers in [0, 1), like `Math.random`.
 */
export function backoffMs(
  attempt: number,
  { initialMs, maxMs, jitter = 0 }: Backoff,
  random: () => number = Math.random,
): number {
  const wait = Math.min(maxMs, initialMs * 2 ** (attempt - 1));
  return Math.round(wait * (1 - jitter * random()));
}
