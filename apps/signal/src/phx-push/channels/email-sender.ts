import { SendEmailV3 } from 'phx-node';

/** Injection token of the PHX {@link EmailSender}. */
export const EMAIL_SENDER = Symbol('EMAIL_SENDER');

export interface EmailSender {
  /**
   * Renders and sends the e-mail of one notification.
   * @throws {ChannelError} `transient` when the same attempt may pass later.
   */
  send(notificationId: string, email: SendEmailV3): Promise<{ messageId: string }>;
}
