import { Injectable } from '@nestjs/common';
import { NotificationWebSocketRooms, NotificationWebSocketTopics } from '@signal/core';
import { ActivityNotificationView, toNotificationCreatedPayload } from '@signal/persistence';
import { SignalGateway } from './signal.gateway';

/** Pushes persisted activity notifications to their recipients' rooms, on every instance. */
@Injectable()
export class NotificationSocketEventService {
  constructor(private readonly gateway: SignalGateway) {}

  notifyActivityNotificationCreated(notification: ActivityNotificationView): void {
    this.gateway.server
      .to(NotificationWebSocketRooms.recipient(notification.recipientId))
      .emit(
        NotificationWebSocketTopics.NOTIFICATION_CREATED,
        toNotificationCreatedPayload(notification),
      );
  }
}
