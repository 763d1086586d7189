import { NotificationType } from '../notification-type.enum';
import { InAppNotice } from './in-app-notice.interface';
import { PushNotiMobile } from './push-noti-mobile.interface';
import { SendEmailV3 } from './send-email-v3.interface';

/**
 * What `PHXPushNotificationService.send` hands to the Producer (seed 004 §5.1). At least one of
 * `pushNotiMobile`, `sendEmailV3`, `inApp` is required; the Producer decides which are delivered.
 */
export interface PushInappNoti {
  /** Recipient: a positive integer, or a string id of 1-128 characters without whitespace or `/`. */
  user_id: number | string;
  /** Hostname of the calling system, forwarded to the Producer (≤ 255 characters). */
  hostname: string;
  /** Key of the notification setting, `MODULE:FUNCTION` or `MODULE:FUNCTION:SUB_FUNCTION`. */
  action_code: string;
  /** Student the notification is about (Notification Center filter by student). */
  student_id?: number;
  /** Notification Center tab. */
  type?: NotificationType;
  /** Mobile push block. */
  pushNotiMobile?: PushNotiMobile;
  /** E-mail block. */
  sendEmailV3?: SendEmailV3;
  /** In-app-only notice block. */
  inApp?: InAppNotice;
}

/** What `send` accepts: a {@link PushInappNoti} whose `hostname` may come from the module options. */
export type PhxPushPayload = Omit<PushInappNoti, 'hostname'> & {
  /** Hostname of the calling system; defaults to the module's `hostname` option. */
  hostname?: string;
};
