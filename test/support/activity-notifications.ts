import { INestApplication } from '@nestjs/common';
import { ActivityNotificationRepository, NewActivityNotification } from '@signal/persistence';
import { randomUUID } from 'node:crypto';
import { NotificationSocketEventService } from '../../apps/signal/src/signal-gateway/socket/notification-socket-event.service';

export function aNotificationFor(
  recipientId: string,
  overrides: Partial<NewActivityNotification> = {},
): NewActivityNotification {
  return {
    dedupKey: randomUUID(),
    recipientId,
    type: 'PAYMENT_SUCCESS',
    recipientScope: 'users',
    organizerId: 'org-test',
    merchantId: null,
    actorId: 'actor-1',
    actor: { id: 'actor-1', name: 'Lan', type: 'user' },
    content: 'Lan đã thanh toán thành công Học phí',
    actionUrl: '/payments/p-1',
    data: { payment: { subject: 'Học phí' } },
    occurredAt: new Date(),
    ...overrides,
  };
}

/** Persist, then push: what the Kafka worker does, through the app's own services. */
export async function persistAndNotify(app: INestApplication, rows: NewActivityNotification[]) {
  const created = await app.get(ActivityNotificationRepository).insertIgnoringDuplicates(rows);
  const sockets = app.get(NotificationSocketEventService);
  for (const notification of created) sockets.notifyActivityNotificationCreated(notification);
  return created;
}
