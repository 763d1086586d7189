import 'reflect-metadata';
import { NotificationType } from 'phx-node';
import { legacyV1Example } from '../../../../test/fixtures/legacy-v1';
import { LegacyEventDto } from './legacy-event.dto';
import { parseLegacyEvent } from './legacy-event.parser';
import {
  legacyActionCode,
  legacyIdempotencyKey,
  resolveRedirectUrl,
  toPhxPayload,
} from './legacy-notification.mapper';

const REDIRECTS = {
  LOAPHUONG: '/announcements/{contentId}',
  TASK: '/tasks/{contentId}',
  PAYMENT: '/{contentType}s/{contentId}',
};

function parsed(event: object): LegacyEventDto {
  const result = parseLegacyEvent(Buffer.from(JSON.stringify(event)));
  if (!result.ok) throw new Error(result.reason);
  return result.event;
}

describe(legacyActionCode.name, () => {
  it.each([
    ['loaphuong.AnnouncementCreated', 'LOAPHUONG:ANNOUNCEMENT_CREATED'],
    ['task.TaskAssigned', 'TASK:TASK_ASSIGNED'],
    ['loa-phuong.HTTPRequestDone', 'LOA_PHUONG:HTTP_REQUEST_DONE'],
    ['payment.Paid2Times', 'PAYMENT:PAID2_TIMES'],
  ])('should turn %s into %s', (eventType, actionCode) => {
    expect(legacyActionCode(eventType)).toBe(actionCode);
  });
});

describe(resolveRedirectUrl.name, () => {
  it.each([
    ['loaphuong', '/announcements/announcement-123'],
    ['task', '/tasks/task-456'],
    ['payment', '/payments/payment-789'],
  ] as const)('should fill the %s template', (name, url) => {
    expect(resolveRedirectUrl(parsed(legacyV1Example(name)), REDIRECTS)).toBe(url);
  });

  it('should prefer an explicit redirectUrl', () => {
    const event = legacyV1Example('task');
    event.payload.redirectUrl = '/custom/1';

    expect(resolveRedirectUrl(parsed(event), REDIRECTS)).toBe('/custom/1');
  });

  it('should give none without a template, or when a placeholder has no value', () => {
    const event = legacyV1Example('task');
    delete event.payload.contentId;

    expect(resolveRedirectUrl(parsed(legacyV1Example('task')), {})).toBeUndefined();
    expect(resolveRedirectUrl(parsed(event), REDIRECTS)).toBeUndefined();
  });
});

describe(legacyIdempotencyKey.name, () => {
  it('should be stable per event and user, and differ across them', () => {
    const sut = legacyIdempotencyKey('event-1', 'user-1');

    expect(sut).toBe(legacyIdempotencyKey('event-1', 'user-1'));
    expect(sut).not.toBe(legacyIdempotencyKey('event-1', 'user-2'));
    expect(sut.length).toBeLessThanOrEqual(128);
  });
});

describe(toPhxPayload.name, () => {
  const options = { pushApp: 'LEGACY_V1', redirects: REDIRECTS };

  it('should send push and in-app with the redirect URL for both channels', () => {
    const sut = toPhxPayload(parsed(legacyV1Example('task')), 'user-789', options);

    const payload = {
      redirectUrl: '/tasks/task-456',
      contentId: 'task-456',
      contentType: 'task',
      sourceService: 'task',
      notificationType: 'booking',
      eventId: 'event-task-456',
      data: { taskId: 'task-456', assigneeId: 'user-789', dueDate: '2024-11-06T10:00:00Z' },
    };
    expect(sut).toEqual({
      user_id: 'user-789',
      hostname: 'task',
      action_code: 'TASK:TASK_ASSIGNED',
      type: NotificationType.TO_ME,
      pushNotiMobile: {
        title: 'Bạn có task mới',
        message: "Task 'Vệ sinh hành lang' đã được giao cho bạn",
        module_code: 'TASK',
        app: 'LEGACY_V1',
        payload,
      },
      inApp: {
        title: 'Bạn có task mới',
        message: "Task 'Vệ sinh hành lang' đã được giao cho bạn",
        payload,
      },
    });
  });

  it('should send only the asked channel, under SYSTEM for role members', () => {
    const event = legacyV1Example('loaphuong');
    event.payload.notification.channels = ['in-app'];

    const sut = toPhxPayload(parsed(event), 'resident-1', options);

    expect(sut.pushNotiMobile).toBeUndefined();
    expect(sut.inApp?.payload).toMatchObject({ redirectUrl: '/announcements/announcement-123' });
    expect(sut.type).toBe(NotificationType.SYSTEM);
  });
});
