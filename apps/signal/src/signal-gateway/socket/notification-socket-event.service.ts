import { Injectable, Logger } from '@nestjs/common';
import { NotificationWebSocketRooms, NotificationWebSocketTopics } from '@signal/core';
import { ActivityNotificationView, PhxNotificationRecordView } from '@signal/persistence';
import { errorMessage } from '../../common/error-message';
import { SignalMetrics } from '../../metrics/signal-metrics';
import {
  toNotificationCenterRecordPayload,
  toNotificationCreatedPayload,
} from '../notification-payloads';
import { SignalGateway } from './signal.gateway';
import { SignalServer } from './signal-socket';
import { SocketRedisConnection } from './socket-redis.connection';

/**
 * Pushes persisted notifications to their recipients' rooms, on every instance. Best effort,
 * never throwing into the consumer that persisted them: while Redis is unreachable only this
 * instance's sockets get them, and clients catch up from the database on reconnect.
 */
@Injectable()
export class NotificationSocketEventService {
  private readonly logger = new Logger(NotificationSocketEventService.name);

  constructor(
    private readonly gateway: SignalGateway,
    private readonly redis: SocketRedisConnection,
    private readonly metrics: SignalMetrics,
  ) {}

  notifyActivityNotificationCreated(notification: ActivityNotificationView): void {
    const topic = NotificationWebSocketTopics.NOTIFICATION_CREATED;
    this.emit(topic, (reach) =>
      reach
        .to(NotificationWebSocketRooms.recipient(notification.recipientId))
        .emit(topic, toNotificationCreatedPayload(notification)),
    );
  }

  /**
   * `notifyActivityNotificationCreated` for each; their Redis publishes leave in one write, before
   * this returns (the caller commits the batch's offsets next).
   */
  notifyActivityNotificationsCreated(notifications: readonly ActivityNotificationView[]): void {
    for (const notification of notifications) this.notifyActivityNotificationCreated(notification);
    this.writePublishesNow();
  }

  /**
   * Writes the Redis publishes of this event-loop turn now instead of at its end: before a caller
   * records that what it emitted is done.
   */
  writePublishesNow(): void {
    this.redis.flushPublishes();
  }

  /**
   * A new Notification Center record, so the user's open Notification Center updates live. On the
   * user's own room: in the recipient rooms an organizer or merchant with the same id would get it.
   */
  notifyNotificationCenterRecordCreated(record: PhxNotificationRecordView): void {
    const topic = NotificationWebSocketTopics.NOTIFICATION_CENTER_RECORD_CREATED;
    this.emit(topic, (reach) =>
      reach
        .to(NotificationWebSocketRooms.notificationCenterUser(record.userId))
        .emit(topic, toNotificationCenterRecordPayload(record)),
    );
  }

  /** `send` builds the room and the payload too: whatever it throws is logged, not thrown. */
  private emit(topic: string, send: (reach: Pick<SignalServer, 'to'>) => void): void {
    try {
      send(this.redis.canPublish ? this.gateway.server : this.gateway.server.local);
      this.metrics.recordSocketEmit(topic);
    } catch (error) {
      this.logger.warn(`emit of ${topic} failed: ${errorMessage(error)}`);
    }
  }
}
