import { Injectable } from '@nestjs/common';
import { PhxChannelOutcome } from '@signal/persistence';
import { Backoff, backoffMs } from '../../common/backoff';
import { SignalConfig } from '../../config/signal-config';
import { ChannelFailure } from '../channels/channel-failure';

/** Jittered: the channels one provider outage failed all come due again together otherwise. */
const RETRY_JITTER = 0.2;

/**
 * Whether a failed push or e-mail attempt is tried again: a transient failure is, after its
 * backoff (`PHX_RETRY_INITIAL_MS` doubling to `PHX_RETRY_MAX_MS`), until
 * `PHX_DELIVERY_MAX_ATTEMPTS`; any other failure is final.
 */
@Injectable()
export class ChannelRetryPolicy {
  private readonly maxAttempts: number;
  private readonly backoff: Backoff;

  constructor(config: SignalConfig) {
    this.maxAttempts = config.phx.deliveryMaxAttempts;
    this.backoff = {
      initialMs: config.phx.retryInitialMs,
      maxMs: config.phx.retryMaxMs,
      jitter: RETRY_JITTER,
    };
  }

  outcomeOf(
    attempt: number,
    failure: ChannelFailure,
    detail?: Record<string, unknown>,
  ): PhxChannelOutcome {
    if (failure.transient && attempt < this.maxAttempts) {
      return {
        status: 'pending',
        reason: `attempt ${attempt} of ${this.maxAttempts} failed: ${failure.reason}`,
        detail,
        retryInMs: backoffMs(attempt, this.backoff),
      };
    }
    const reason = failure.transient
      ? `${failure.reason} (gave up after ${attempt} attempts)`
      : failure.reason;
    return { status: 'failed', reason, detail };
  }
}
