/** Payload of `observation/signal/notification/created` (seed 000). */
export interface NotificationCreatedPayload {
  id: string;
  type: string;
  organizerId: string | null;
  content: string;
  actionUrl: string | null;
  data: Record<string, unknown>;
  isRead: boolean;
  /** ISO-8601. */
  createdAt: string;
}

/** Payload of `observation/signal/notification-center/record-created`: one Notification Center record. */
export interface NotificationCenterRecordPayload {
  id: string;
  /** Notification Center tab: `SYSTEM` or `TO_ME`. */
  type: string;
  actionCode: string;
  moduleCode: string | null;
  studentId: number | null;
  title: string;
  message: string;
  /** Data for the app to route the user: any JSON value (seed 004: `payload: any`). */
  payload: unknown;
  hostname: string;
  isRead: boolean;
  /** ISO-8601. */
  createdAt: string;
}

/** Payload of `observation/signal/session/token-expired`, sent just before the server disconnects. */
export interface TokenExpiredPayload {
  code: 'TOKEN_EXPIRED';
  /** e.g. "token expired at 2026-12-03T10:00:00.000Z: reconnect with a fresh token". */
  message: string;
  /** ISO-8601: the token's `exp`. */
  expiredAt: string;
}

/**
 * Payload of `observation/signal/notification/replay-truncated`: the replay hit its limit; the
 * client fetches the rest with `GET /notifications/catch-up?after={after}&cursor={cursor}`.
 */
export interface ReplayTruncatedPayload {
  /** The id the client reconnected with. */
  after: string;
  /** Where the replay stopped (`nextCursor` of the replay's page). */
  cursor: string;
}
