import { Client, QueryResult } from 'pg';

/**
 * pg's `Client` with one change: `query(text, values)` without a callback runs through pg's
 * callback form and wraps it in a promise here, instead of pg building the promise itself.
 *
 * Why: with pg 8.23 on Node 24, queries in pg's own promise form leave their rows and query objects
 * alive across young-generation collections. In the app about 6 MB were promoted per scavenge
 * (13 % of what was allocated) and each scavenge paused it for 5–13 ms; a plain pg loop of 8,000
 * small SELECTs went from 0.2 ms to 11 ms scavenges and its old space from 6 to 56 MB. Through
 * the callback form (which `Pool#query` also uses) nothing is promoted. TypeORM always calls the
 * promise form, hence this class, given to the pool as its `Client` (`buildDataSourceOptions`).
 *
 * Errors still come back as pg's: same object, its stack re-captured where the promise settles,
 * as pg does.
 */
export class CallbackQueryClient extends Client {
  /** pg's own `query`, bound once per connection. */
  private readonly pgQuery = super.query.bind(this) as (...args: unknown[]) => unknown;

  // Typed `never` to fit every overload of pg's `query`: all forms but the promise one (a config or
  // text, and values or nothing) are passed through as they are.
  override query(...args: unknown[]): never {
    const [config, values, callback] = args;
    const asConfig = (typeof config === 'object' && config !== null ? config : {}) as {
      submit?: unknown;
      callback?: unknown;
    };
    if (
      typeof values === 'function' ||
      typeof callback === 'function' ||
      typeof asConfig.submit === 'function' ||
      typeof asConfig.callback === 'function'
    ) {
      return this.pgQuery(...args) as never;
    }
    return new Promise<QueryResult>((resolve, reject) => {
      this.pgQuery(config, values, (error: Error | null, result: QueryResult) =>
        error ? reject(error) : resolve(result),
      );
    }).catch((error: unknown) => {
      if (error instanceof Error) Error.captureStackTrace(error);
      throw error;
    }) as never;
  }
}
