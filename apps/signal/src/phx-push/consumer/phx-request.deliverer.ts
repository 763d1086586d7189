import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import {
  isTransientDatabaseError,
  PhxChannel,
  PhxChannelOutcome,
  PhxChannelStatus,
  PhxDeliveryRepository,
  PhxDeliveryState,
  PhxDeviceTokenRepository,
  PhxNotificationRecordRepository,
  PhxRequestOutcome,
  PhxRequestStatus,
} from '@signal/persistence';
import { PushInappNoti } from 'phx-node';
import pLimit from 'p-limit';
import { SignalConfig } from '../../config/signal-config';
import { CorrelationContext } from '../../logging/correlation-context';
import { SignalMetrics } from '../../metrics/signal-metrics';
import { NotificationSocketEventService } from '../../signal-gateway/socket/notification-socket-event.service';
import { ChannelError, ChannelFailure } from '../channels/channel-failure';
import { PUSH_PROVIDER, PushProvider, toPushMessage } from '../channels/push-provider';
import { EMAIL_SENDER, EmailSender } from '../channels/email-sender';
import { DELIVERY_CHUNKS_IN_FLIGHT } from '../channels/send-time';
import { notificationContentOf } from './notification-content';
import { errorMessage } from '../../common/error-message';
import { AbandonedSettle, SettleRetries } from './settle-retries';

/** One accepted request to deliver, with the correlation id its log lines carry. */
export interface RequestToDeliver {
  requestId: string;
  correlationId?: string;
}

type OpenRequest = RequestToDeliver & { state: PhxDeliveryState };

const EXTERNAL_CHANNELS = ['push', 'email'] as const;
type ExternalChannel = (typeof EXTERNAL_CHANNELS)[number];

/** A push or e-mail this process holds the lease of, with the number of this attempt. */
interface Claim {
  request: OpenRequest;
  channel: ExternalChannel;
  attempt: number;
}

interface DeadToken {
  app: string;
  token: string;
  reason: string;
}

/** How an attempt went: what to store, and the device tokens the provider called dead. */
interface Attempt {
  claim: Claim;
  outcome: PhxChannelOutcome;
  dead: DeadToken[];
}

const FINAL_STATUSES = new Set(['sent', 'failed', 'skipped']);
const BACKGROUND_BACKLOG = 1000;
/**
 * Requests whose in-app events went out while their in_app settle has not landed (yet): the
 * retried Kafka batch does not announce them again. Beyond this many the oldest are forgotten,
 * which at worst announces them twice (clients dedupe records by id).
 */
const ANNOUNCED_UNSETTLED_KEPT = 10_000;

/**
 * Delivers accepted requests: the Notification Records and their socket events, then push and
 * e-mail, with a few statements per batch whatever its size. Push and e-mail go out in chunks of
 * `PHX_DELIVERY_CONCURRENCY` requests, a few chunks at once: a chunk's channels are claimed with a lease
 * in one statement, sent concurrently, and settled in one statement right after, so a crash or
 * a redelivered Kafka message never sends a finished channel again. A settle the database
 * refuses for a while (an outage) is retried from memory while the lease lasts, so what went
 * out is not sent again once the lease runs out. A transient send failure
 * schedules the channel's next attempt in the database (exponential backoff) rather than holding
 * up the Kafka partition; `PhxDeliveryRetryScheduler` runs it when due, and takes over channels
 * whose sender died once their lease expires.
 */
@Injectable()
export class PhxRequestDeliverer implements OnModuleDestroy {
  private readonly logger = new Logger(PhxRequestDeliverer.name);
  private readonly maxAttempts: number;
  private readonly leaseMs: number;
  private readonly retry: { initialMs: number; maxMs: number };
  private readonly chunkSize: number;
  /**
   * Shared by the Kafka path and the retry scheduler: while one chunk waits on the database, the
   * others' sends are on the wire. A chunk is claimed only once it has a slot
   * and its sends start right away, so a lease only has to outlast the sends of a few chunks.
   */
  private readonly chunks = pLimit(DELIVERY_CHUNKS_IN_FLIGHT);
  /** Requests handed to the background and not done with yet. */
  private backlog = 0;
  private readonly background = new Set<Promise<void>>();
  private readonly settles = new SettleRetries();
  /** Request ids, in the order their in-app events went out; see {@link ANNOUNCED_UNSETTLED_KEPT}. */
  private readonly announcedUnsettled = new Set<string>();
  private readonly shutdownMs: number;
  private closing = false;

  constructor(
    config: SignalConfig,
    private readonly deliveries: PhxDeliveryRepository,
    private readonly records: PhxNotificationRecordRepository,
    private readonly devices: PhxDeviceTokenRepository,
    @Inject(PUSH_PROVIDER) private readonly pushProvider: PushProvider,
    @Inject(EMAIL_SENDER) private readonly emailSender: EmailSender,
    private readonly sockets: NotificationSocketEventService,
    private readonly metrics: SignalMetrics,
  ) {
    this.maxAttempts = config.phx.deliveryMaxAttempts;
    this.leaseMs = config.phx.deliveryLeaseMs;
    this.retry = { initialMs: config.phx.retryInitialMs, maxMs: config.phx.retryMaxMs };
    this.chunkSize = config.phx.deliveryConcurrency;
    this.shutdownMs = config.shutdown.timeoutMs;
  }

  /**
   * Delivers what is left of each request; answers the ids that name no stored request. Records
   * and in-app events are done for all of them before this resolves. Push and e-mail are awaited
   * with `wait` (the retry scheduler); without it (the Kafka path) they are made due in the
   * database and sent in the background, so a slow provider never delays the next records —
   * a crash leaves them due for the retry scheduler.
   */
  async deliverMany(requests: RequestToDeliver[], { wait }: { wait: boolean }): Promise<string[]> {
    const states = await this.deliveries.loadMany(requests.map((r) => r.requestId));
    const unknown = requests.filter((r) => !states.has(r.requestId)).map((r) => r.requestId);
    // Finished ones were completed by an earlier delivery of the same message.
    const open = requests.flatMap((request) => {
      const state = states.get(request.requestId);
      if (state?.status !== 'accepted') return [];
      // The sender's id, also when the scheduler or a header-less hand-off brought the request.
      return [{ ...request, correlationId: state.correlationId ?? request.correlationId, state }];
    });
    if (open.length === 0) return unknown;

    const [external, inAppOnly] = partition(open, ({ state }) => hasOpenExternalChannel(state));
    // Past this backlog the database is the queue: the retry scheduler takes them in turn.
    const sendHere = this.backlog < BACKGROUND_BACKLOG && !this.closing;
    await this.deliverInApp(
      open.map(({ state }) => state),
      {
        // Their other channels were final when loaded and in_app is sent now: nothing to re-read.
        completed: inAppOnly.map(({ state }) => withInAppSent(state)),
        // The scheduler's own requests are due already.
        due: wait ? [] : external.map(({ state }) => state.requestId),
        // Sent here: the scheduler steps in only if this process dies first (a lease, in effect).
        dueInMs: sendHere ? this.leaseMs : 0,
      },
    );
    if (wait) await this.deliverExternal(external);
    else if (sendHere) this.inBackground(external);
    return unknown;
  }

  /**
   * Waits for the chunks being sent, queued ones left due now for the next instance; then gives
   * the settles still retried a last chance, within half the shutdown deadline (the rest is the
   * channel thread's, the sockets' and the database's).
   */
  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    await Promise.allSettled([...this.background]);
    await this.settles.close(this.shutdownMs / 2);
  }

  private inBackground(requests: OpenRequest[]): void {
    if (requests.length === 0) return;
    this.backlog += requests.length;
    const task = this.deliverExternal(requests)
      .catch((error: unknown) =>
        // The channels stay due: the retry scheduler takes them over.
        this.logger.warn(`background delivery failed: ${errorMessage(error)}`),
      )
      .finally(() => {
        this.backlog -= requests.length;
        this.background.delete(task);
      });
    this.background.add(task);
  }

  /**
   * Push and e-mail of these requests, chunk by chunk (`DELIVERY_CHUNKS_IN_FLIGHT` at once);
   * settles once every chunk is done, failing with the first failure.
   */
  private async deliverExternal(requests: OpenRequest[]): Promise<void> {
    const chunks = await Promise.allSettled(
      chunksOf(requests, this.chunkSize).map((chunk) =>
        this.chunks(() => (this.closing ? this.handBack(chunk) : this.deliverOrHandBack(chunk))),
      ),
    );
    const failed = chunks.find((chunk) => chunk.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /**
   * A chunk the database refused before sending (its claim, its device tokens): what it left
   * unclaimed is made due now once the database is back, rather than when the lease the Kafka
   * path gave it runs out (up to `PHX_DELIVERY_LEASE_MS` after the outage).
   */
  private async deliverOrHandBack(requests: OpenRequest[]): Promise<void> {
    try {
      await this.deliverChunk(requests);
    } catch (error) {
      if (isTransientDatabaseError(error)) {
        await this.settles.run(
          () => this.handBack(requests),
          Date.now() + this.leaseMs,
          () =>
            this.logger.warn(
              `${requests.length} requests stay due when their lease runs out: the database was away`,
            ),
        );
      }
      throw error;
    }
  }

  /** A chunk this process will not send after all: due now, for whichever instance runs next. */
  private async handBack(requests: OpenRequest[]): Promise<void> {
    await this.deliveries.dueNow(requests.map((request) => request.requestId));
  }

  /**
   * The records and in-app events of a batch, then what follows them in one statement: in_app
   * marked sent, the push and e-mail of `due` made due, the `completed` requests closed. The
   * record exists for every request (the delivery log shows it); in the Center only with in_app.
   */
  private async deliverInApp(
    states: PhxDeliveryState[],
    { completed, due, dueInMs }: { completed: PhxDeliveryState[]; due: string[]; dueInMs: number },
  ): Promise<void> {
    const pending = new Set(states.filter(isInAppPending).map((s) => s.requestId));
    // A record stored by an earlier delivery is read back only to be announced again.
    const stored = await this.records.insertMany(
      states
        .filter((state) => !state.recorded || pending.has(state.requestId))
        .map((state) => {
          const inApp = deliveryOf(state, 'in_app');
          return {
            ...notificationContentOf(state),
            requestId: state.requestId,
            userId: state.userId,
            studentId: state.studentId,
            type: state.type,
            actionCode: state.actionCode,
            hostname: state.hostname,
            // As it stands once this batch is settled: final for the completed requests.
            channelStatus: channelStatusOf(withInAppSent(state)),
            inCenter: inApp?.status === 'pending' || inApp?.status === 'sent',
          };
        }),
    );
    const announced = stored.filter(({ record }) => pending.has(record.requestId));
    // Before settling: after a crash in between the event is sent again, never lost. After a
    // settle the database refused, the retried batch finds them announced already.
    for (const { record } of announced) {
      if (this.announcedUnsettled.has(record.requestId)) continue;
      this.sockets.notifyNotificationCenterRecordCreated(record);
      this.rememberAnnounced(record.requestId);
    }
    // Records stored earlier show the channels as they stood then.
    const created = new Set(stored.filter((s) => s.created).map(({ record }) => record.requestId));
    await this.records.updateChannelStatuses(
      completed
        .filter((state) => !created.has(state.requestId))
        .map((state) => ({ requestId: state.requestId, channelStatus: channelStatusOf(state) })),
    );
    await this.deliveries.settleInApp({
      inAppSent: [...pending],
      due,
      dueInMs,
      completed: completed.map(outcomeOf),
    });
    for (const requestId of pending) this.announcedUnsettled.delete(requestId);
    this.metrics.phxDeliveries.inc({ channel: 'in_app', status: 'sent' }, announced.length);
  }

  private rememberAnnounced(requestId: string): void {
    this.announcedUnsettled.add(requestId);
    if (this.announcedUnsettled.size <= ANNOUNCED_UNSETTLED_KEPT) return;
    const [oldest] = this.announcedUnsettled;
    this.announcedUnsettled.delete(oldest);
  }

  /**
   * Push and e-mail of a chunk: the due channels claimed in one statement, sent concurrently,
   * settled in one statement; then the requests left with no open channel are completed. A
   * settle the database refuses is retried in the background (the chunk's slot goes to the next
   * one) while the claims' lease lasts; see {@link settleAttempts}.
   */
  private async deliverChunk(requests: OpenRequest[]): Promise<void> {
    const wanted = new Map(
      requests.flatMap((request) =>
        EXTERNAL_CHANNELS.filter((channel) => isOpen(request.state, channel)).map(
          (channel) => [channelKey(request.requestId, channel), { request, channel }] as const,
        ),
      ),
    );
    // Before claiming: the lease the database gives the claims ends no earlier than this.
    const leaseEndsAt = Date.now() + this.leaseMs;
    // Not due (backoff) or being sent elsewhere: left out; whoever sends it last completes.
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
    if (claims.length === 0) return;

    const tokens = await this.activeTokensOf(claims);
    const tried = await Promise.allSettled(claims.map((claim) => this.attempt(claim, tokens)));
    const attempts = tried.flatMap((result, n) => {
      if (result.status === 'fulfilled') return [result.value];
      // A bug rather than a failed delivery: the lease runs out, then the scheduler tries again.
      const { request, channel } = claims[n];
      this.logger.error(`${request.requestId} ${channel}: ${errorMessage(result.reason)}`);
      return [];
    });
    await this.settleAttempts(attempts, leaseEndsAt);
  }

  /**
   * Stores what the attempts of a chunk came to: the device tokens found dead, each channel's
   * outcome (fenced by its attempt), then the requests left with no open channel completed.
   * Should the database refuse, retried (see {@link SettleRetries}) from the step that failed
   * until `leaseEndsAt`: past it another claim may send the channels again, and the fence would
   * refuse these outcomes anyway. A settle whose reply the connection lost is found to have
   * landed (see `PhxDeliveryRepository.settleMany`).
   */
  private settleAttempts(attempts: Attempt[], leaseEndsAt: number): Promise<void> {
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

  /** The active device tokens of every claimed push's user and app, in one statement. */
  private async activeTokensOf(claims: Claim[]): Promise<Map<string, string[]>> {
    const owners = new Map<string, { userId: string; app: string }>();
    for (const { request, channel } of claims) {
      const push = requestOf(request.state).pushNotiMobile;
      if (channel !== 'push' || !push) continue;
      owners.set(ownerKey(request.state.userId, push.app), {
        userId: request.state.userId,
        app: push.app,
      });
    }
    const found = await this.devices.activeTokensOf([...owners.values()]);
    return new Map(found.map(({ userId, app, tokens }) => [ownerKey(userId, app), tokens]));
  }

  private async attempt(claim: Claim, tokens: Map<string, string[]>): Promise<Attempt> {
    if (claim.channel === 'email') return { claim, outcome: await this.sendEmail(claim), dead: [] };
    return { claim, ...(await this.sendPush(claim, tokens)) };
  }

  private async sendPush(
    { request: { state }, attempt }: Claim,
    tokensOf: Map<string, string[]>,
  ): Promise<{ outcome: PhxChannelOutcome; dead: DeadToken[] }> {
    const push = requestOf(state).pushNotiMobile;
    if (!push) {
      return {
        outcome: { status: 'failed', reason: 'request has no pushNotiMobile block' },
        dead: [],
      };
    }
    const tokens = tokensOf.get(ownerKey(state.userId, push.app)) ?? [];
    if (tokens.length === 0) {
      return {
        outcome: { status: 'skipped', reason: `no active device of app ${push.app}` },
        dead: [],
      };
    }
    const report = await this.pushProvider.send(toPushMessage(state.requestId, push), tokens);
    const dead = report.dead.map(({ token, reason }) => ({ app: push.app, token, reason }));
    const detail = {
      provider: this.pushProvider.name,
      devices: tokens.length,
      sent: report.sent.length,
      dead: report.dead.map(({ reason }) => reason),
      failed: report.failed.map(({ reason }) => reason),
    };
    if (report.sent.length > 0) {
      const missed = tokens.length - report.sent.length;
      const reason = missed > 0 ? `${missed} of ${tokens.length} devices not reached` : null;
      return { outcome: { status: 'sent', reason, detail }, dead };
    }
    if (report.failed.length === 0) {
      const reason = 'every device token is dead (deactivated)';
      return { outcome: { status: 'failed', reason, detail }, dead };
    }
    const failure = report.failed.find((f) => f.transient) ?? report.failed[0];
    return { outcome: this.failOrRetry(attempt, failure, detail), dead };
  }

  private async sendEmail({ request: { state }, attempt }: Claim): Promise<PhxChannelOutcome> {
    const email = requestOf(state).sendEmailV3;
    if (!email) return { status: 'failed', reason: 'request has no sendEmailV3 block' };
    try {
      const { messageId } = await this.emailSender.send(state.requestId, email);
      return { status: 'sent', reason: null, detail: { messageId } };
    } catch (error) {
      const failure =
        error instanceof ChannelError ? error : { reason: errorMessage(error), transient: false };
      return this.failOrRetry(attempt, failure);
    }
  }

  private failOrRetry(
    attempt: number,
    failure: ChannelFailure,
    detail?: Record<string, unknown>,
  ): PhxChannelOutcome {
    if (failure.transient && attempt < this.maxAttempts) {
      return {
        status: 'pending',
        reason: `attempt ${attempt} of ${this.maxAttempts} failed: ${failure.reason}`,
        detail,
        retryInMs: Math.min(this.retry.maxMs, this.retry.initialMs * 2 ** (attempt - 1)),
      };
    }
    const reason = failure.transient
      ? `${failure.reason} (gave up after ${attempt} attempts)`
      : failure.reason;
    return { status: 'failed', reason, detail };
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
}

/** What a request's channels add up to, and why when not everything went out. */
function outcomeOf(state: PhxDeliveryState): PhxRequestOutcome {
  const sent = state.deliveries.filter((d) => d.status === 'sent').length;
  const failed = state.deliveries.filter((d) => d.status === 'failed');
  // Nothing sent and nothing failed: every eligible channel turned out to have no target.
  const unsent = state.deliveries.filter((d) => d.status !== 'sent' && d.reason !== null);
  const status: PhxRequestStatus =
    sent > 0
      ? failed.length > 0
        ? 'partially_delivered'
        : 'delivered'
      : failed.length > 0
        ? 'failed'
        : 'not_delivered';
  const explained = failed.length > 0 ? failed : sent === 0 ? unsent : [];
  const reason =
    explained.length > 0 ? explained.map((d) => `${d.channel}: ${d.reason}`).join('; ') : null;
  return { requestId: state.requestId, status, reason };
}

/** The requests of attempts that ended their channel: to complete, once no other is open. */
function finishedRequestIds(settled: Attempt[]): string[] {
  const finished = settled.filter(({ outcome }) => outcome.status !== 'pending');
  return [...new Set(finished.map(({ claim }) => claim.request.requestId))];
}

function requestOf(state: PhxDeliveryState): PushInappNoti {
  return state.payload as unknown as PushInappNoti;
}

function hasOpenExternalChannel(state: PhxDeliveryState): boolean {
  return EXTERNAL_CHANNELS.some((channel) => isOpen(state, channel));
}

function isOpen(state: PhxDeliveryState, channel: PhxChannel): boolean {
  const delivery = deliveryOf(state, channel);
  return delivery !== undefined && !FINAL_STATUSES.has(delivery.status);
}

/** Still accepted, with every channel final: to complete. */
function isFinished(state: PhxDeliveryState): boolean {
  return state.status === 'accepted' && state.deliveries.every((d) => FINAL_STATUSES.has(d.status));
}

const channelKey = (requestId: string, channel: PhxChannel) => `${requestId} ${channel}`;
const ownerKey = (userId: string, app: string) => JSON.stringify([userId, app]);

function chunksOf<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, n) =>
    items.slice(n * size, (n + 1) * size),
  );
}

function partition<T>(items: T[], test: (item: T) => boolean): [T[], T[]] {
  return [items.filter(test), items.filter((item) => !test(item))];
}

/** `state` as it stands once {@link PhxRequestDeliverer.deliverInApp} marked a pending in_app sent. */
function withInAppSent(state: PhxDeliveryState): PhxDeliveryState {
  return {
    ...state,
    deliveries: state.deliveries.map((d) =>
      d.channel === 'in_app' && d.status === 'pending' ? { ...d, status: 'sent', reason: null } : d,
    ),
  };
}

function isInAppPending(state: PhxDeliveryState): boolean {
  return deliveryOf(state, 'in_app')?.status === 'pending';
}

function deliveryOf(state: PhxDeliveryState, channel: PhxChannel) {
  return state.deliveries.find((delivery) => delivery.channel === channel);
}

function channelStatusOf(state: PhxDeliveryState): PhxChannelStatus {
  return Object.fromEntries(
    state.deliveries.map(({ channel, status, reason }) => [channel, { status, reason }]),
  );
}
