import { Injectable } from '@nestjs/common';
import {
  PhxDeliveryRepository,
  PhxDeliveryState,
  PhxNotificationRecordRepository,
} from '@signal/persistence';
import { SignalMetrics } from '../../metrics/signal-metrics';
import { NotificationSocketEventService } from '../../signal-gateway/socket/notification-socket-event.service';
import {
  channelStatusOf,
  deliveryOf,
  isInAppPending,
  outcomeOf,
  withInAppSent,
} from './delivery-state';
import { notificationContentOf } from './notification-content';

/**
 * Requests whose in-app events went out while their in_app settle has not landed (yet): the
 * retried Kafka batch does not announce them again. Beyond this many the oldest are forgotten,
 * which at worst announces them twice (clients dedupe records by id).
 */
const ANNOUNCED_UNSETTLED_KEPT = 10_000;

/** What follows the in-app events of a batch, in the same statement as marking in_app sent. */
export interface AfterInApp {
  /** Requests whose every channel is final once in_app is sent: closed. */
  completed: PhxDeliveryState[];
  /** Requests whose fresh push and e-mail are made due `dueInMs` from now. */
  due: string[];
  dueInMs: number;
}

/** The Notification Records of accepted requests, and their in-app socket events. */
@Injectable()
export class PhxInAppDelivery {
  /** Request ids, in the order their in-app events went out; see {@link ANNOUNCED_UNSETTLED_KEPT}. */
  private readonly announcedUnsettled = new Set<string>();

  constructor(
    private readonly deliveries: PhxDeliveryRepository,
    private readonly records: PhxNotificationRecordRepository,
    private readonly sockets: NotificationSocketEventService,
    private readonly metrics: SignalMetrics,
  ) {}

  /**
   * The records and in-app events of a batch, then what follows them in one statement: in_app
   * marked sent, the push and e-mail of `due` made due, the `completed` requests closed. The
   * record exists for every request (the delivery log shows it); in the Center only with in_app.
   */
  async deliver(
    states: PhxDeliveryState[],
    { completed, due, dueInMs }: AfterInApp,
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
    // Before settling, and written out before it: after a crash in between the event is sent
    // again, never lost. After a settle the database refused, the retried batch finds them
    // announced already.
    const toAnnounce = announced.filter(
      ({ record }) => !this.announcedUnsettled.has(record.requestId),
    );
    for (const { record } of toAnnounce) {
      this.sockets.notifyNotificationCenterRecordCreated(record);
      this.rememberAnnounced(record.requestId);
    }
    if (toAnnounce.length > 0) this.sockets.writePublishesNow();
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
}
