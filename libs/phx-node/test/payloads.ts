import { EmailType } from '../src/email-type.enum';
import { NotificationType } from '../src/notification-type.enum';
import { PushInappNoti } from '../src/types/push-inapp-noti.interface';
import { SendEmailV3 } from '../src/types/send-email-v3.interface';

/** The seed's minimal mobile push (seed 004 §5.3); `overrides` replace root fields. */
export function pushPayload(overrides: Partial<PushInappNoti> = {}): PushInappNoti {
  return {
    user_id: 8652,
    hostname: 'portal.phx.vn',
    action_code: 'HRM_CHECKIN:FACEID',
    type: NotificationType.TO_ME,
    pushNotiMobile: {
      title: 'Check-in',
      message: 'Bé đã tới trường',
      module_code: 'HRM_CHECKIN',
      app: 'PHX_PARENT',
      payload: { action: 'OPEN_CHECK_IN_PAGE' },
    },
    ...overrides,
  };
}

/** The seed's fee notice e-mail (seed 004 §9.2); `overrides` replace fields of `sendEmailV3`. */
export function emailPayload(overrides: Partial<Record<keyof SendEmailV3, unknown>> = {}) {
  return {
    user_id: 8652,
    hostname: 'portal.phx.vn',
    action_code: 'FEE:NOTICE',
    type: NotificationType.TO_ME,
    sendEmailV3: {
      emailType: EmailType.TRANSACTION_BASIC,
      to: 'parent@example.com',
      subject: 'Thông báo học phí',
      title: 'Thông báo học phí',
      previewText: 'Nhà trường xin thông báo...',
      content: 'Nội dung chi tiết...',
      ...overrides,
    },
  };
}

/** An HR reminder e-mail with one group of pending requests. */
export function hrmRemindEmail(overrides: Partial<Record<keyof SendEmailV3, unknown>> = {}) {
  return emailPayload({
    emailType: EmailType.HRM_REMIND,
    content: undefined,
    listRequests: [
      {
        type: 'OVERTIME',
        title: 'Đăng ký làm thêm chờ duyệt',
        total: 3,
        link: 'https://portal.phx.vn/hrm/overtime',
        requests: [{ id: 41, title: 'Làm thêm thứ Bảy', createdAt: '2024-05-02T08:00:00Z' }],
      },
    ],
    ...overrides,
  });
}
