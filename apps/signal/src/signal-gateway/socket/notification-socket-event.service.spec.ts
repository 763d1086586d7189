import { NotificationWebSocketTopics } from '@signal/core';
import { ActivityNotificationView } from '@signal/persistence';
import { SignalMetrics } from '../../metrics/signal-metrics';
import { NotificationSocketEventService } from './notification-socket-event.service';
import { SignalGateway } from './signal.gateway';
import { SocketRedisConnection } from './socket-redis.connection';

const notification: ActivityNotificationView = {
  id: '0d9a3f5e-0000-4000-8000-000000000001',
  seq: '1',
  recipientId: 'u-1',
  recipientScope: 'users',
  type: 'PAYMENT_SUCCESS',
  organizerId: null,
  content: 'paid',
  actionUrl: null,
  data: {},
  createdAt: new Date('2026-12-03T10:00:00Z'),
  isRead: false,
};

/** A Socket.IO server that records, per reach (every instance or this one), the rooms emitted to. */
function aServer(emit: () => void = () => undefined) {
  const emitted: { reach: 'all' | 'local'; room: string; topic: string }[] = [];
  const operator = (reach: 'all' | 'local') => ({
    to: (room: string) => ({
      emit: (topic: string) => {
        emit();
        emitted.push({ reach, room, topic });
      },
    }),
  });
  return { server: { ...operator('all'), local: operator('local') }, emitted };
}

describe(NotificationSocketEventService.name, () => {
  const service = (server: object, canPublish: boolean) =>
    new NotificationSocketEventService(
      { server } as unknown as SignalGateway,
      { canPublish } as SocketRedisConnection,
      new SignalMetrics(),
    );

  it('should emit through every instance while Redis can publish', () => {
    const { server, emitted } = aServer();

    service(server, true).notifyActivityNotificationCreated(notification);

    expect(emitted).toEqual([
      {
        reach: 'all',
        room: 'signal/notification/u-1',
        topic: NotificationWebSocketTopics.NOTIFICATION_CREATED,
      },
    ]);
  });

  it("should emit to this instance's sockets only while Redis cannot publish", () => {
    const { server, emitted } = aServer();

    service(server, false).notifyActivityNotificationCreated(notification);

    expect(emitted.map((emit) => emit.reach)).toEqual(['local']);
  });

  it('should never throw into the consumer that persisted the notification', () => {
    const { server } = aServer(() => {
      throw new Error('adapter failure');
    });

    expect(() =>
      service(server, true).notifyActivityNotificationCreated(notification),
    ).not.toThrow();
  });

  it("should emit each of a batch's notifications, past a failed one, and write them out before returning", () => {
    const writes: string[] = [];
    let failed = false;
    const { server, emitted } = aServer(() => {
      writes.push('emit');
      if (!failed) {
        failed = true;
        throw new Error('adapter failure');
      }
    });
    const redis = {
      canPublish: true,
      flushPublishes: () => writes.push('flush'),
    } as unknown as SocketRedisConnection;
    const sut = new NotificationSocketEventService(
      { server } as unknown as SignalGateway,
      redis,
      new SignalMetrics(),
    );

    sut.notifyActivityNotificationsCreated([
      notification,
      { ...notification, id: 'second', recipientId: 'u-2' },
    ]);

    // The batch's publishes are written out before it returns: its offsets are committed next.
    expect(writes).toEqual(['emit', 'emit', 'flush']);
    expect(emitted.map((emit) => emit.room)).toEqual(['signal/notification/u-2']);
  });
});
