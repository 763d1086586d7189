import { WebSocketTopics } from './path-builder';

/** Socket.IO event names of notifications. On the wire: change only with a migration plan. */
export const NotificationWebSocketTopics = {
  NOTIFICATION_CREATED: WebSocketTopics.build('observation', 'signal', 'notification', 'created'),
  /** After a reconnect replay that hit its limit (`ReplayTruncatedPayload`): REST catch-up has the rest. */
  REPLAY_TRUNCATED: WebSocketTopics.build(
    'observation',
    'signal',
    'notification',
    'replay-truncated',
  ),
  /** A Notification Center record was saved for the user (PHX push, in-app). */
  NOTIFICATION_CENTER_RECORD_CREATED: WebSocketTopics.build(
    'observation',
    'signal',
    'notification-center',
    'record-created',
  ),
} as const;

/** Socket.IO events about the connection itself. On the wire: change only with a migration plan. */
export const SessionWebSocketTopics = {
  /**
   * The token the socket connected with has expired; the server disconnects it right after
   * (reason `io server disconnect`). Reconnect with a fresh token.
   */
  TOKEN_EXPIRED: WebSocketTopics.build('observation', 'signal', 'session', 'token-expired'),
} as const;
