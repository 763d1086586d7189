import { Logger } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { SignalConfig } from '../config/signal-config';
import { errorMessage } from '../common/error-message';
import { TimeoutError, withTimeout } from './with-timeout';

// However many callers ask, a dependency is probed at most once per this interval.
const PROBE_CACHE_MS = 1000;

/**
 * One readiness check of one dependency: `probe` within the configured timeout is up, anything
 * else is down. Callers learn only the dependency's name and `down` (with `reason: 'timeout'`
 * when it did not answer in time); the cause, which may name hosts or users, goes to the log
 * when it changes. A probe in flight, or settled less than a second ago, answers every caller.
 */
export abstract class DependencyHealthIndicator {
  protected abstract readonly key: string;
  private readonly readinessLogger = new Logger('Readiness');
  private last: { result: Promise<HealthIndicatorResult>; settledAt: number | null } | null = null;
  private loggedCause: string | null = null;

  protected constructor(
    protected readonly config: SignalConfig,
    private readonly health: HealthIndicatorService,
  ) {}

  /** Resolves with details to show when up; throws when the dependency is not usable. */
  protected abstract probe(): Promise<Record<string, unknown>>;

  /** Called after a failed probe, e.g. to drop a broken client. */
  protected async afterFailure(): Promise<void> {}

  protected describeFailure(error: unknown): string {
    return errorMessage(error);
  }

  check(): Promise<HealthIndicatorResult> {
    const last = this.last;
    if (last && (last.settledAt === null || Date.now() - last.settledAt < PROBE_CACHE_MS)) {
      return last.result;
    }
    const current = { result: this.probeOnce(), settledAt: null as number | null };
    void current.result.finally(() => (current.settledAt = Date.now()));
    this.last = current;
    return current.result;
  }

  private async probeOnce(): Promise<HealthIndicatorResult> {
    const indicator = this.health.check(this.key);
    try {
      const details = await withTimeout(
        this.probe(),
        this.config.health.timeoutMs,
        `${this.key} check`,
      );
      if (this.loggedCause !== null) this.readinessLogger.log(`${this.key} is up again`);
      this.loggedCause = null;
      return indicator.up(details);
    } catch (error) {
      await this.afterFailure();
      const cause = this.describeFailure(error);
      if (cause !== this.loggedCause) this.readinessLogger.warn(`${this.key} is down: ${cause}`);
      this.loggedCause = cause;
      return indicator.down(error instanceof TimeoutError ? { reason: 'timeout' } : {});
    }
  }
}
