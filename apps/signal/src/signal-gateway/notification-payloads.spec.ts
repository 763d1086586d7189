import { ActivityNotificationView, PhxNotificationRecordView } from '@signal/persistence';
import {
  toNotificationCenterRecordPayload,
  toNotificationCreatedPayload,
} from './notification-payloads';

const createdAt = new Date('2026-12-03T10:00:00Z');

describe('notification payloads', () => {
  it('should send a stored activity notification as seed 000 has it, without its stream fields', () => {
    const view: ActivityNotificationView = {
      id: '0d9a3f5e-0000-4000-8000-000000000001',
      seq: '42',
      recipientScope: 'org',
      recipientId: 'org-1',
      type: 'PAYMENT_SUCCESS',
      organizerId: 'org-1',
      content: 'paid',
      actionUrl: null,
      data: { amount: 5 },
      createdAt,
      isRead: true,
    };

    const sut = toNotificationCreatedPayload(view);

    expect(sut).toStrictEqual({
      id: view.id,
      type: 'PAYMENT_SUCCESS',
      organizerId: 'org-1',
      content: 'paid',
      actionUrl: null,
      data: { amount: 5 },
      isRead: true,
      createdAt: '2026-12-03T10:00:00.000Z',
    });
  });

  it('should send a Notification Center record without its request, user, seq or channel status', () => {
    const view: PhxNotificationRecordView = {
      id: '0d9a3f5e-0000-4000-8000-000000000002',
      seq: '7',
      requestId: '0d9a3f5e-0000-4000-8000-000000000003',
      userId: 'u-1',
      studentId: 12,
      type: 'TO_ME',
      actionCode: 'FEE:NOTICE',
      moduleCode: null,
      title: 'Fee',
      message: 'due',
      payload: null,
      hostname: 'fee.example',
      channelStatus: { in_app: { status: 'sent', reason: null } },
      inCenter: true,
      isRead: false,
      createdAt,
    };

    const sut = toNotificationCenterRecordPayload(view);

    expect(sut).toStrictEqual({
      id: view.id,
      type: 'TO_ME',
      actionCode: 'FEE:NOTICE',
      moduleCode: null,
      studentId: 12,
      title: 'Fee',
      message: 'due',
      payload: null,
      hostname: 'fee.example',
      isRead: false,
      createdAt: '2026-12-03T10:00:00.000Z',
    });
  });
});
