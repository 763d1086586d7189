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
