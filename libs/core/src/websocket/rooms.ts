import { WebSocketRooms } from './path-builder';

/** Socket.IO rooms of notifications. On the wire: change only with a migration plan. */
export const NotificationWebSocketRooms = {
  /** Room of one recipient: a user, an organizer or a merchant id. */
  recipient: (recipientId: string): string =>
    WebSocketRooms.build('signal', 'notification', recipientId),
};
