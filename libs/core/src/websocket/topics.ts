import { WebSocketTopics } from './path-builder';

/** Socket.IO event names of notifications. On the wire: change only with a migration plan. */
export const NotificationWebSocketTopics = {
  NOTIFICATION_CREATED: WebSocketTopics.build('observation', 'signal', 'notification', 'created'),
} as const;
