import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { SignalConfig } from '../config/signal-config';
import { errorMessage } from '../common/error-message';
import { withTimeout } from './with-timeout';

/**
 * One readiness check of one dependency: `probe` within the configured timeout is up,
 * anything else is down with the cause as its message.
 */
export abstract class DependencyHealthIndicator {
  protected abstract readonly key: string;

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

  async check(): Promise<HealthIndicatorResult> {
    const indicator = this.health.check(this.key);
    try {
      const details = await withTimeout(
        this.probe(),
        this.config.health.timeoutMs,
        `${this.key} check`,
      );
      return indicator.up(details);
    } catch (error) {
      await this.afterFailure();
      return indicator.down({ message: this.describeFailure(error) });
    }
  }
}
