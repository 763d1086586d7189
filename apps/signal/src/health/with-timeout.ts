/** What {@link withTimeout} rejects with. */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

/** Rejects when `work` takes longer than `ms`, so one hung dependency cannot hang the probe. */
export async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${what} timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
