import { WebSocketRooms } from './path-builder';

/** Socket.IO rooms of notifications. On the wire: change only with a migration plan. */
export const NotificationWebSocketRooms = {
  /**
   * Room of one activity-notification recipient: a user, an organizer or a merchant id (seed 000).
   * The three kinds share this namespace, so nothing private to one user may be sent here.
   */
  recipient: (recipientId: string): string =>
    WebSocketRooms.build('signal', 'notification', recipientId),
  /** Room of one user's Notification Center: only sockets whose token's `sub` is this user. */
  notificationCenterUser: (userId: string): string =>
    WebSocketRooms.build('signal', 'notification-center', 'user', userId),
};
