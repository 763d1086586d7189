import { NotificationCenterRecordPayload, NotificationCreatedPayload } from '@signal/core';
import { ActivityNotificationView, PhxNotificationRecordView } from '@signal/persistence';

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

/** The wire shape of a record, for sockets and the Notification Center REST alike. */
export function toNotificationCenterRecordPayload(
  view: PhxNotificationRecordView,
): NotificationCenterRecordPayload {
  return {
    id: view.id,
    type: view.type,
    actionCode: view.actionCode,
    moduleCode: view.moduleCode,
    studentId: view.studentId,
    title: view.title,
    message: view.message,
    payload: view.payload,
    hostname: view.hostname,
    isRead: view.isRead,
    createdAt: view.createdAt.toISOString(),
  };
}
