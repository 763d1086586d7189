import { Injectable, Logger } from '@nestjs/common';
import {
  PhxChannelOutcome,
  PhxDeliveryRepository,
  PhxDeliveryState,
  PhxDeviceTokenRepository,
  PhxNotificationRecordRepository,
} from '@signal/persistence';
import { SignalConfig } from '../../config/signal-config';
import { CorrelationContext } from '../../logging/correlation-context';
import { SignalMetrics } from '../../metrics/signal-metrics';
import { DeadToken } from '../channels/channel-sender';
import {
  channelKey,
  channelStatusOf,
  EXTERNAL_CHANNELS,
  ExternalChannel,
  isFinished,
  isOpen,
  OpenRequest,
  outcomeOf,
  partition,
} from './delivery-state';
import { AbandonedSettle, SettleRetries } from './settle-retries';

/**
 * The log context of every line a delivery writes, whichever of its classes writes it: operators
 * (and the correlation tests) follow a request's delivery by it.
 */
export const DELIVERY_LOG_CONTEXT = 'PhxRequestDeliverer';

/** A push or e-mail this process holds the lease of, with the number of this attempt. */
export interface Claim {
  request: OpenRequest;
  channel: ExternalChannel;
  attempt: number;
}

/** How an attempt went: what to store, and the device tokens the provider called dead. */
export interface Attempt {
  claim: Claim;
  outcome: PhxChannelOutcome;
  dead: DeadToken[];
}

/**
 * The claim/lease/settle protocol of push and e-mail over `PhxDeliveryRepository`: the due
 * channels of a chunk claimed with a lease in one statement, their outcomes settled in one
 * statement fenced by the attempt, then the requests left with no open channel completed. So a
 * crash or a redelivered Kafka message never sends a finished channel again. A settle the
 * database refuses for a while (an outage) is retried from memory while the lease lasts, so what
 * went out is not sent again once the lease runs out.
 */
@Injectable()
export class PhxDeliveryClaims {
  private readonly logger = new Logger(DELIVERY_LOG_CONTEXT);
  private readonly leaseMs: number;
  private readonly settles = new SettleRetries();

  constructor(
    config: SignalConfig,
    private readonly deliveries: PhxDeliveryRepository,
    private readonly records: PhxNotificationRecordRepository,
    private readonly devices: PhxDeviceTokenRepository,
    private readonly metrics: SignalMetrics,
  ) {
    this.leaseMs = config.phx.deliveryLeaseMs;
  }

  /**
   * Claims the open push and e-mail of `requests` that are due; answers the claims taken and when
   * their lease ends at the earliest. Those not due (backoff) or being sent elsewhere are left
   * out: whoever sends a request's last channel completes it.
   */
  async claim(requests: OpenRequest[]): Promise<{ claims: Claim[]; leaseEndsAt: number }> {
    const wanted = new Map(
      requests.flatMap((request) =>
        EXTERNAL_CHANNELS.filter((channel) => isOpen(request.state, channel)).map(
          (channel) => [channelKey(request.requestId, channel), { request, channel }] as const,
        ),
      ),
    );
    // Before claiming: the lease the database gives the claims ends no earlier than this.
    const leaseEndsAt = Date.now() + this.leaseMs;
    const claimed = await this.deliveries.claimMany(
      [...wanted.values()].map(({ request, channel }) => ({
        requestId: request.requestId,
        channel,
      })),
      this.leaseMs,
    );
    const claims = claimed.flatMap(({ requestId, channel, attempts }) => {
      const claim = wanted.get(channelKey(requestId, channel));
      return claim ? [{ ...claim, attempt: attempts }] : [];
    });
    return { claims, leaseEndsAt };
  }

  /**
   * Stores what the attempts of a chunk came to: the device tokens found dead, each channel's
   * outcome (fenced by its attempt), then the requests left with no open channel completed.
   * Should the database refuse, retried (see {@link SettleRetries}) from the step that failed
   * until `leaseEndsAt`: past it another claim may send the channels again, and the fence would
   * refuse these outcomes anyway. A settle whose reply the connection lost is found to have
   * landed (see `PhxDeliveryRepository.settleMany`).
   */
  settle(attempts: Attempt[], leaseEndsAt: number): Promise<void> {
    let settled: Attempt[] | undefined;
    const settle = async () => {
      settled ??= await this.settleChannels(attempts);
      // Whoever settles the last open channel completes the request. Read again after settling:
      // the other channel may have been settled elsewhere meanwhile.
      const after = await this.deliveries.loadMany(finishedRequestIds(settled));
      await this.complete([...after.values()].filter(isFinished));
    };
    return this.settles.run(settle, leaseEndsAt, (why) =>
      settled ? this.reportUncompleted(settled, why) : this.reportUnsettled(attempts, why),
    );
  }

  /** Requests this process will not send after all: due now, for whichever instance runs next. */
  async handBack(requests: OpenRequest[]): Promise<void> {
    await this.deliveries.dueNow(requests.map((request) => request.requestId));
  }

  /**
   * {@link handBack} for a chunk the database refused before sending (its claim, its device
   * tokens), retried until the database is back: what the chunk left unclaimed is then due now
   * rather than when the lease the Kafka path gave it runs out (up to `PHX_DELIVERY_LEASE_MS`
   * after the outage).
   */
  async handBackWhenBack(requests: OpenRequest[]): Promise<void> {
    await this.settles.run(
      () => this.handBack(requests),
      Date.now() + this.leaseMs,
      () =>
        this.logger.warn(
          `${requests.length} requests stay due when their lease runs out: the database was away`,
        ),
    );
  }

  /** Shutdown: the settles still retried get a last chance, within `graceMs`. */
  close(graceMs: number): Promise<void> {
    return this.settles.close(graceMs);
  }

  /** The channels' outcomes stored, and the dead tokens deactivated; answers those that took. */
  private async settleChannels(attempts: Attempt[]): Promise<Attempt[]> {
    // The provider's word on a token holds whichever claim asked.
    await this.devices.deactivate(attempts.flatMap(({ dead }) => dead));
    const took = new Set(
      (
        await this.deliveries.settleMany(
          attempts.map(({ claim, outcome }) => ({
            requestId: claim.request.requestId,
            channel: claim.channel,
            attempt: claim.attempt,
            ...outcome,
          })),
        )
      ).map(({ requestId, channel }) => channelKey(requestId, channel)),
    );
    const [settled, superseded] = partition(attempts, ({ claim }) =>
      took.has(channelKey(claim.request.requestId, claim.channel)),
    );
    settled.forEach((attempt) => this.report(attempt));
    superseded.forEach((attempt) => this.reportSuperseded(attempt));
    return settled;
  }

  /** Every channel of these requests is final: records show how each went, requests sum them up. */
  private async complete(states: PhxDeliveryState[]): Promise<void> {
    if (states.length === 0) return;
    await this.records.updateChannelStatuses(
      states.map((state) => ({
        requestId: state.requestId,
        channelStatus: channelStatusOf(state),
      })),
    );
    await this.deliveries.completeMany(states.map(outcomeOf));
  }

  /**
   * Counts a stored attempt; a retry or a failure is also logged, under the correlation id of
   * the request that sent it, whoever made the attempt.
   */
  private report({ claim: { request, channel }, outcome }: Attempt): void {
    const retrying = outcome.status === 'pending';
    this.metrics.phxDeliveries.inc({ channel, status: retrying ? 'retrying' : outcome.status });
    if (!retrying && outcome.status !== 'failed') return;
    const next = retrying ? `; next attempt in ${outcome.retryInMs} ms` : '';
    CorrelationContext.run(request.correlationId, () =>
      this.logger.warn(`${request.requestId} ${channel}: ${outcome.reason}${next}`),
    );
  }

  /**
   * The claim's lease ran out while it sent, and another claim took the channel over: this
   * outcome was not stored (the channel may have gone out twice; the lease is meant to outlast
   * every send, see `PHX_DELIVERY_LEASE_MS`).
   */
  private reportSuperseded({ claim: { request, channel, attempt }, outcome }: Attempt): void {
    this.metrics.phxDeliveries.inc({ channel, status: 'superseded' });
    CorrelationContext.run(request.correlationId, () =>
      this.logger.warn(
        `${request.requestId} ${channel}: attempt ${attempt} ended (${outcome.status}) after its lease ran out and another attempt took over; not stored`,
      ),
    );
  }

  /**
   * Attempts whose outcome could not be stored before their lease ran out or the process stopped:
   * their channels stay claimed until the lease is over, then are tried again (sent twice, for
   * those that went out).
   */
  private reportUnsettled(attempts: Attempt[], { reason, transient }: AbandonedSettle): void {
    for (const { claim, outcome } of attempts) {
      const { request, channel, attempt } = claim;
      this.metrics.phxDeliveries.inc({ channel, status: 'unsettled' });
      const message = `${request.requestId} ${channel}: attempt ${attempt} ended (${outcome.status}) but could not be stored (${reason}); the channel will be tried again once its lease runs out`;
      CorrelationContext.run(request.correlationId, () =>
        transient ? this.logger.warn(message) : this.logger.error(message),
      );
    }
  }

  /** Channels settled, but their requests' summary could not be stored: they stay accepted. */
  private reportUncompleted(settled: Attempt[], { reason, transient }: AbandonedSettle): void {
    const message = `requests ${finishedRequestIds(settled).join(', ')}: channels settled, but completing the requests failed (${reason}); they stay accepted`;
    if (transient) this.logger.warn(message);
    else this.logger.error(message);
  }
}

/** The requests of attempts that ended their channel: to complete, once no other is open. */
function finishedRequestIds(settled: Attempt[]): string[] {
  const finished = settled.filter(({ outcome }) => outcome.status !== 'pending');
  return [...new Set(finished.map(({ claim }) => claim.request.requestId))];
}
