import { NotificationCreatedPayload } from '@signal/core';
import { ActivityNotificationView } from '@signal/persistence';

/** The wire shape of seed 000, for sockets and the inbox alike. */
export function toNotificationCreatedPayload(
  view: ActivityNotificationView,
): NotificationCreatedPayload {
  return {
    id: view.id,
    type: view.type,
    organizerId: view.organizerId,
    content: view.content,
    actionUrl: view.actionUrl,
    data: view.data,
    isRead: view.isRead,
    createdAt: view.createdAt.toISOString(),
  };
}
