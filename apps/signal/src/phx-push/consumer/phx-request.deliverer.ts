import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  PhxChannel,
  PhxChannelStatus,
  PhxDeliveryRepository,
  PhxDeliveryState,
  PhxDeviceTokenRepository,
  PhxNotificationRecordRepository,
  PhxRequestStatus,
} from '@signal/persistence';
import { PushInappNoti } from 'phx-node';
import { SignalConfig } from '../../config/signal-config';
import { SignalMetrics } from '../../metrics/signal-metrics';
import { NotificationSocketEventService } from '../../signal-gateway/socket/notification-socket-event.service';
import { ChannelError, errorReason } from '../channels/channel-failure';
import { PUSH_PROVIDER, PushProvider, toPushMessage } from '../channels/push-provider';
import { SmtpEmailSender } from '../channels/smtp.email-sender';
import { notificationContentOf } from './notification-content';

/** `done`: every channel is final or scheduled for a later attempt; `unknown`: no such request. */
export type RequestDeliveryOutcome = 'done' | 'unknown';

/** A channel after this pass: final (whatever the result), or left for a later attempt. */
type ChannelStep = 'final' | 'later';

const FINAL_STATUSES = new Set(['sent', 'failed', 'skipped']);

/**
 * Delivers one accepted request: the Notification Record and its socket event, then push and
 * e-mail. Every channel is claimed with a lease before it is sent and settled right after, so a
 * crash or a redelivered Kafka message never sends a finished channel again. A transient failure
 * schedules the channel's next attempt in the database (exponential backoff) rather than holding
 * up the Kafka partition; `PhxDeliveryRetryScheduler` runs it when due, and takes over channels
 * whose sender died once their lease expires.
 */
@Injectable()
export class PhxRequestDeliverer {
  private readonly logger = new Logger(PhxRequestDeliverer.name);
  private readonly maxAttempts: number;
  private readonly leaseMs: number;
  private readonly retry: { initialMs: number; maxMs: number };

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
  }

  async deliver(requestId: string): Promise<RequestDeliveryOutcome> {
    const state = await this.deliveries.load(requestId);
    if (!state) return 'unknown';
    // Finished by an earlier delivery of the same message.
    if (state.status !== 'accepted') return 'done';

    await this.deliverInApp(state);
    const steps = await Promise.all([this.deliverPush(state), this.deliverEmail(state)]);
    if (steps.every((step) => step === 'final')) await this.complete(requestId);
    return 'done';
  }

  /** The record exists for every request (the delivery log shows it); in the Center only with in_app. */
  private async deliverInApp(state: PhxDeliveryState): Promise<void> {
    const inApp = deliveryOf(state, 'in_app');
    const inCenter = inApp?.status === 'pending' || inApp?.status === 'sent';
    const { record } = await this.records.insertOnce({
      ...notificationContentOf(state),
      requestId: state.requestId,
      userId: state.userId,
      studentId: state.studentId,
      type: state.type,
      actionCode: state.actionCode,
      hostname: state.hostname,
      channelStatus: channelStatusOf(state),
      inCenter,
    });
    if (inApp?.status !== 'pending') return;
    // Before settling: after a crash in between the event is sent again, never lost.
    this.sockets.notifyNotificationCenterRecordCreated(record);
    await this.deliveries.settle(state.requestId, 'in_app', { status: 'sent', reason: null });
    this.metrics.phxDeliveries.inc({ channel: 'in_app', status: 'sent' });
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
          error instanceof ChannelError ? error : { reason: errorReason(error), transient: false };
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

  /** Every channel is final: the record shows how each went, the request sums them up. */
  private async complete(requestId: string): Promise<void> {
    const state = await this.deliveries.load(requestId);
    if (!state) return;
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
    await this.records.updateChannelStatus(requestId, channelStatusOf(state));
    await this.deliveries.complete(requestId, status, reason);
  }
}

function requestOf(state: PhxDeliveryState): PushInappNoti {
  return state.payload as unknown as PushInappNoti;
}

function deliveryOf(state: PhxDeliveryState, channel: PhxChannel) {
  return state.deliveries.find((delivery) => delivery.channel === channel);
}

function channelStatusOf(state: PhxDeliveryState): PhxChannelStatus {
  return Object.fromEntries(
    state.deliveries.map(({ channel, status, reason }) => [channel, { status, reason }]),
  );
}
