import {
  NotificationCenterRecordPayload,
  NotificationCreatedPayload,
  ReplayTruncatedPayload,
  TokenExpiredPayload,
} from './payloads';
import { NotificationWebSocketTopics, SessionWebSocketTopics } from './topics';

/**
 * The events Signal emits to its Socket.IO clients, event name → listener: Socket.IO's
 * `ServerToClientEvents`. Type a client with it, e.g.
 * `const socket: Socket<SignalServerToClientEvents> = io(url, { auth: { token } })`.
 * On the wire: change only with a migration plan.
 */
export interface SignalServerToClientEvents {
  [NotificationWebSocketTopics.NOTIFICATION_CREATED](payload: NotificationCreatedPayload): void;
  [NotificationWebSocketTopics.REPLAY_TRUNCATED](payload: ReplayTruncatedPayload): void;
  [NotificationWebSocketTopics.NOTIFICATION_CENTER_RECORD_CREATED](
    payload: NotificationCenterRecordPayload,
  ): void;
  [SessionWebSocketTopics.TOKEN_EXPIRED](payload: TokenExpiredPayload): void;
}

/** Socket.IO's `ClientToServerEvents`: clients send Signal nothing but the handshake. */
export type SignalClientToServerEvents = Record<never, never>;

/** The payload of one of Signal's events, e.g. `SignalEventPayload<typeof NotificationWebSocketTopics.NOTIFICATION_CREATED>`. */
export type SignalEventPayload<Topic extends keyof SignalServerToClientEvents> = Parameters<
  SignalServerToClientEvents[Topic]
>[0];
