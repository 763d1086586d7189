import { Injectable } from '@nestjs/common';
import { NotificationWebSocketRooms, NotificationWebSocketTopics } from '@signal/core';
import {
  ActivityNotificationView,
  PhxNotificationRecordView,
  toNotificationCenterRecordPayload,
  toNotificationCreatedPayload,
} from '@signal/persistence';
import { SignalMetrics } from '../../metrics/signal-metrics';
import { SignalGateway } from './signal.gateway';

/** Pushes persisted notifications to their recipients' rooms, on every instance. */
@Injectable()
export class NotificationSocketEventService {
  constructor(
    private readonly gateway: SignalGateway,
    private readonly metrics: SignalMetrics,
  ) {}

  notifyActivityNotificationCreated(notification: ActivityNotificationView): void {
    this.gateway.server
      .to(NotificationWebSocketRooms.recipient(notification.recipientId))
      .emit(
        NotificationWebSocketTopics.NOTIFICATION_CREATED,
        toNotificationCreatedPayload(notification),
      );
    this.metrics.recordSocketEmit(NotificationWebSocketTopics.NOTIFICATION_CREATED);
  }

  /**
   * A new Notification Center record, so the user's open Notification Center updates live. On the
   * user's own room: in the recipient rooms an organizer or merchant with the same id would get it.
   */
  notifyNotificationCenterRecordCreated(record: PhxNotificationRecordView): void {
    this.gateway.server
      .to(NotificationWebSocketRooms.notificationCenterUser(record.userId))
      .emit(
        NotificationWebSocketTopics.NOTIFICATION_CENTER_RECORD_CREATED,
        toNotificationCenterRecordPayload(record),
      );
    this.metrics.recordSocketEmit(NotificationWebSocketTopics.NOTIFICATION_CENTER_RECORD_CREATED);
  }
}
