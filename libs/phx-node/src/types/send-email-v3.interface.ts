import { EmailType } from '../email-type.enum';
import { IGroupRequestType } from './group-request.interface';

/** E-mail block of a {@link PushInappNoti}. */
export interface SendEmailV3 {
  /** Template the Consumer renders. */
  emailType: EmailType;
  /** Recipient's e-mail address (one address). */
  to: string;
  /** Subject line (≤ 255 characters). */
  subject: string;
  /** Heading inside the e-mail body (≤ 200 characters). */
  title: string;
  /** Preview shown by mail clients in the inbox (≤ 500 characters). */
  previewText: string;
  /** Text or HTML body; required for `EmailType.TRANSACTION_BASIC`. */
  content?: string;
  /** Groups of pending requests; required and non-empty for `EmailType.HRM_REMIND`. */
  listRequests?: IGroupRequestType[];
  /** Extra text some templates show (≤ 2000 characters). */
  description?: string;
}
