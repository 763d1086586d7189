/** How one event type reads: `{path}` placeholders are looked up in the Kafka message. */
export interface ActivityTemplate {
  content: string;
  actionUrl: string | null;
}

/** Built in; `ACTIVITY_NOTIFICATION_TEMPLATES` adds types or overrides these. */
export const DEFAULT_ACTIVITY_TEMPLATES: Record<string, ActivityTemplate> = {
  PAYMENT_SUCCESS: {
    content: '{actor.name} đã thanh toán thành công {data.payment.subject}',
    actionUrl: '/payments/{data.payment.id}',
  },
};
