import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import {
  PhxChannel,
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
import { ChannelError } from '../channels/channel-failure';
import { PUSH_PROVIDER, PushProvider, toPushMessage } from '../channels/push-provider';
import { SmtpEmailSender } from '../channels/smtp.email-sender';
import { notificationContentOf } from './notification-content';
import { errorMessage } from '../../common/error-message';

/** One accepted request to deliver, with the correlation id its log lines carry. */
export interface RequestToDeliver {
  requestId: string;
  correlationId?: string;
}

/** A channel after this pass: final (whatever the result), or left for a later attempt. */
type ChannelStep = 'final' | 'later';

const FINAL_STATUSES = new Set(['sent', 'failed', 'skipped']);
const BACKGROUND_BACKLOG = 1000;

/**
 * Delivers accepted requests: the Notification Records and their socket events, then push and
 * e-mail. The database work of a batch is done in a few statements for all its requests; push
 * and e-mail go out per request, concurrently (bounded). Every such channel is claimed with a
 * lease before it is sent and settled right after, so a crash or a redelivered Kafka message
 * never sends a finished channel again. A transient failure schedules the channel's next attempt
 * in the database (exponential backoff) rather than holding up the Kafka partition;
 * `PhxDeliveryRetryScheduler` runs it when due, and takes over channels whose sender died once
 * their lease expires.
 */
@Injectable()
export class PhxRequestDeliverer implements OnModuleDestroy {
  private readonly logger = new Logger(PhxRequestDeliverer.name);
  private readonly maxAttempts: number;
  private readonly leaseMs: number;
  private readonly retry: { initialMs: number; maxMs: number };
  private readonly limit: pLimit.Limit;
  private readonly background = new Set<Promise<void>>();
  private closing = false;

  constructor(
    config: SignalConfig,
    private readonly deliveries: PhxDeliveryRepository,
    private readonly records: PhxNotificationRecordRepository,
    private readonly devices: PhxDeviceTokenRepository,
    @Inject(PUSH_PROVIDER) private readonly pushProvider: PushProvider,
    private readonly emailSender: SmtpEmailSender,
    private readonly sockets: NotificationSocketEventService,
    private readonly metrics: SignalMetrics,
  ) {
    this.maxAttempts = config.phx.deliveryMaxAttempts;
    this.leaseMs = config.phx.deliveryLeaseMs;
    this.retry = { initialMs: config.phx.retryInitialMs, maxMs: config.phx.retryMaxMs };
    this.limit = pLimit(config.phx.deliveryConcurrency);
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
      return state?.status === 'accepted' ? [{ ...request, state }] : [];
    });
    if (open.length === 0) return unknown;

    const [external, inAppOnly] = partition(open, ({ state }) => hasOpenExternalChannel(state));
    // Past this backlog the database is the queue: the retry scheduler takes them in turn.
    const sendHere = this.limit.pendingCount < BACKGROUND_BACKLOG && !this.closing;
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
    if (wait) {
      await Promise.all(external.map((request) => this.limit(() => this.deliverExternal(request))));
      return unknown;
    }
    if (sendHere) {
      for (const request of external) this.inBackground(() => this.deliverExternal(request));
    }
    return unknown;
  }

  /** Waits for the background sends in flight, and starts no new ones. */
  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    this.limit.clearQueue();
    await Promise.allSettled([...this.background]);
  }

  private inBackground(work: () => Promise<void>): void {
    if (this.closing) return;
    const task = this.limit(() => (this.closing ? Promise.resolve() : work())).catch(
      (error: unknown) =>
        // The channels stay due: the retry scheduler takes them over.
        this.logger.warn(`background delivery failed: ${errorMessage(error)}`),
    );
    this.background.add(task);
    void task.finally(() => this.background.delete(task));
  }

  /** Push and e-mail of one request, then its completion once both are final. */
  private async deliverExternal({
    state,
    correlationId,
  }: RequestToDeliver & { state: PhxDeliveryState }) {
    await CorrelationContext.run(correlationId, async () => {
      const steps = await Promise.all([this.deliverPush(state), this.deliverEmail(state)]);
      if (steps.every((step) => step === 'final')) {
        // Re-read: the channels just settled, and in_app, changed since the batch loaded them.
        await this.complete([...(await this.deliveries.loadMany([state.requestId])).values()]);
      }
    });
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
    const toAnnounce = stored.filter(({ record }) => pending.has(record.requestId));
    // Before settling: after a crash in between the event is sent again, never lost.
    for (const { record } of toAnnounce) this.sockets.notifyNotificationCenterRecordCreated(record);
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
    this.metrics.phxDeliveries.inc({ channel: 'in_app', status: 'sent' }, toAnnounce.length);
  }

  private async deliverPush(state: PhxDeliveryState): Promise<ChannelStep> {
    const push = requestOf(state).pushNotiMobile;
    return this.runChannel(state, 'push', async (attempt) => {
      if (!push) return this.settle(state, 'push', 'failed', 'request has no pushNotiMobile block');
      const tokens = await this.devices.activeTokens(state.userId, push.app);
      if (tokens.length === 0) {
        return this.settle(state, 'push', 'skipped', `no active device of app ${push.app}`);
      }
      const report = await this.pushProvider.send(toPushMessage(state.requestId, push), tokens);
      if (report.dead.length > 0) await this.devices.deactivate(push.app, report.dead);
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
        return this.settle(state, 'push', 'sent', reason, detail);
      }
      if (report.failed.length === 0) {
        return this.settle(
          state,
          'push',
          'failed',
          'every device token is dead (deactivated)',
          detail,
        );
      }
      const failure = report.failed.find((f) => f.transient) ?? report.failed[0];
      return this.failOrRetry(state, 'push', attempt, failure, detail);
    });
  }

  private async deliverEmail(state: PhxDeliveryState): Promise<ChannelStep> {
    const email = requestOf(state).sendEmailV3;
    return this.runChannel(state, 'email', async (attempt) => {
      if (!email) return this.settle(state, 'email', 'failed', 'request has no sendEmailV3 block');
      try {
        const { messageId } = await this.emailSender.send(state.requestId, email);
        return this.settle(state, 'email', 'sent', null, { messageId });
      } catch (error) {
        const failure =
          error instanceof ChannelError ? error : { reason: errorMessage(error), transient: false };
        return this.failOrRetry(state, 'email', attempt, failure);
      }
    });
  }

  /**
   * Claims a pending channel and runs `send` with the attempt number. A channel someone else is
   * sending (live lease) is checked again later; a finished one is left alone.
   */
  private async runChannel(
    state: PhxDeliveryState,
    channel: PhxChannel,
    send: (attempt: number) => Promise<ChannelStep>,
  ): Promise<ChannelStep> {
    const delivery = deliveryOf(state, channel);
    if (!delivery || FINAL_STATUSES.has(delivery.status)) return 'final';
    // Not due (backoff) or being sent elsewhere: whoever sends it last completes the request.
    const attempt = await this.deliveries.claim(state.requestId, channel, this.leaseMs);
    if (attempt === null) return 'later';
    return send(attempt);
  }

  private async failOrRetry(
    state: PhxDeliveryState,
    channel: PhxChannel,
    attempt: number,
    failure: { reason: string; transient: boolean },
    detail?: Record<string, unknown>,
  ): Promise<ChannelStep> {
    if (failure.transient && attempt < this.maxAttempts) {
      const reason = `attempt ${attempt} of ${this.maxAttempts} failed: ${failure.reason}`;
      const retryInMs = Math.min(this.retry.maxMs, this.retry.initialMs * 2 ** (attempt - 1));
      await this.deliveries.settle(state.requestId, channel, {
        status: 'pending',
        reason,
        detail,
        retryInMs,
      });
      this.metrics.phxDeliveries.inc({ channel, status: 'retrying' });
      this.logger.warn(`${state.requestId} ${channel}: ${reason}; next attempt in ${retryInMs} ms`);
      return 'later';
    }
    const reason = failure.transient
      ? `${failure.reason} (gave up after ${attempt} attempts)`
      : failure.reason;
    return this.settle(state, channel, 'failed', reason, detail);
  }

  private async settle(
    state: PhxDeliveryState,
    channel: PhxChannel,
    status: 'sent' | 'failed' | 'skipped',
    reason: string | null,
    detail?: Record<string, unknown>,
  ): Promise<ChannelStep> {
    await this.deliveries.settle(state.requestId, channel, { status, reason, detail });
    this.metrics.phxDeliveries.inc({ channel, status });
    return 'final';
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

function requestOf(state: PhxDeliveryState): PushInappNoti {
  return state.payload as unknown as PushInappNoti;
}

function hasOpenExternalChannel(state: PhxDeliveryState): boolean {
  return state.deliveries.some(
    (d) => (d.channel === 'push' || d.channel === 'email') && !FINAL_STATUSES.has(d.status),
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
