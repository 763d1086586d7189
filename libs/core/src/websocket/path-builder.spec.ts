import { InvalidWebSocketPathSegmentError, WebSocketRooms, WebSocketTopics } from './path-builder';
import { NotificationWebSocketRooms } from './rooms';
import { NotificationWebSocketTopics } from './topics';

describe('WebSocket path builders', () => {
  it.each([
    [WebSocketTopics, 'topic'],
    [WebSocketRooms, 'room'],
  ])('should join valid segments with "/" (%#)', (sut) => {
    expect(sut.build('a', 'b-c', 'D_1')).toBe('a/b-c/D_1');
  });

  it.each([
    [['a', ''], 1],
    [['a/b'], 0],
    [['ok', 'x', 'y/z'], 2],
    [[], 0],
  ])('should refuse %j naming segment %i', (segments, index) => {
    expect(() => WebSocketRooms.build(...segments)).toThrow(InvalidWebSocketPathSegmentError);
    expect(() => WebSocketRooms.build(...segments)).toThrow(`room segment ${index} is invalid`);
  });

  it('should type a topic built from literal segments as that literal', () => {
    // A compile-time check as much as a runtime one: the topic can key an event map.
    const sut: 'a/b-c' = WebSocketTopics.build('a', 'b-c');
    expect(sut).toBe('a/b-c');
  });

  it('should refuse a non-string segment coming from untyped input', () => {
    const untyped = [42] as unknown as string[];
    expect(() => WebSocketTopics.build(...untyped)).toThrow('topic segment 0 is invalid (42)');
  });

  it('should build the notification topic and recipient room of seed 000', () => {
    expect(NotificationWebSocketTopics.NOTIFICATION_CREATED).toBe(
      'observation/signal/notification/created',
    );
    expect(NotificationWebSocketRooms.recipient('user-1')).toBe('signal/notification/user-1');
  });

  it('should give Notification Center records a per-user room outside the recipient namespace', () => {
    expect(NotificationWebSocketRooms.notificationCenterUser('700330')).toBe(
      'signal/notification-center/user/700330',
    );
    expect(() => NotificationWebSocketRooms.notificationCenterUser('a/b')).toThrow(
      InvalidWebSocketPathSegmentError,
    );
  });

  it('should refuse a recipient id that would escape its room', () => {
    expect(() => NotificationWebSocketRooms.recipient('a/../b')).toThrow(
      InvalidWebSocketPathSegmentError,
    );
    expect(() => NotificationWebSocketRooms.recipient('')).toThrow(
      InvalidWebSocketPathSegmentError,
    );
  });
});
