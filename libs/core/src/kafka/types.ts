/** Event types Signal knows how to render; the registry of templates is keyed by these. */
export const ActivityNotificationTypes = {
  PAYMENT_SUCCESS: 'PAYMENT_SUCCESS',
} as const;

export type TActivityNotificationTypes =
  (typeof ActivityNotificationTypes)[keyof typeof ActivityNotificationTypes];

export const ActivityNotificationRecipientScopes = ['org', 'merchant', 'users'] as const;

export type TActivityNotificationRecipientScope =
  (typeof ActivityNotificationRecipientScopes)[number];

/**
 * Most `recipientIds` one message may name (scope `users`); a message with more is dead-lettered.
 * Each id becomes a row written in the batch's one insert, so a longer list costs one message a
 * batch's worth of rows, memory and socket emits; an audience that large is an organizer's or a
 * merchant's, whose scopes store one row that every member reads.
 */
export const ACTIVITY_NOTIFICATION_MAX_RECIPIENT_IDS = 1000;

/** Value of a message on `signal.activity-notification` (JSON). */
export type TActivityNotificationMessage = {
  eventType: TActivityNotificationTypes;
  recipientScope: TActivityNotificationRecipientScope;
  actorId: string;
  actor: { id: string; name: string; type: string };
  organizerId: string;
  /** Required when `recipientScope` is `merchant`. */
  merchantId?: string;
  /** Required and non-empty when `recipientScope` is `users`; at most `ACTIVITY_NOTIFICATION_MAX_RECIPIENT_IDS`. */
  recipientIds?: string[];
  data: Record<string, unknown>;
  /** ISO-8601. */
  occurredAt: string;
  /** Idempotency key of the event; when absent the hash of the value is used. */
  eventId?: string;
};
