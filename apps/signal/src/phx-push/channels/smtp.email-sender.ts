import { createTransport, NodemailerError } from 'nodemailer';
import addressparser from 'nodemailer/lib/addressparser';
import { isPermanentResponseCode, isTransientError } from 'nodemailer/lib/errors';
import { SendEmailV3 } from 'phx-node';
import { SignalConfig } from '../../config/signal-config';
import { ChannelError } from './channel-failure';
import { EmailSender } from './email-sender';
import { EmailTemplateRenderer } from './email-template.renderer';
import { errorMessage } from '../../common/error-message';

// What may stand left of the @ in a Message-ID without quoting (RFC 5322 dot-atom, narrowed).
const MESSAGE_ID_LOCAL_PART = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * Sends PHX e-mails over SMTP (`SMTP_URL`) through a pooled nodemailer transport. The Message-ID
 * is derived from the notification id, so a retried send carries the same id and mail systems
 * (and people) can tell it is the same message. Runs in the channel thread.
 */
export class SmtpEmailSender implements EmailSender {
  private readonly transport: ReturnType<typeof createPooledTransport>;
  private readonly from: string;
  private readonly messageIdDomain: string;

  constructor(
    { url, from, timeoutMs }: SignalConfig['smtp'],
    connections: number,
    private readonly renderer: EmailTemplateRenderer,
  ) {
    this.from = from;
    this.messageIdDomain = senderDomain(from);
    this.transport = createPooledTransport(url, timeoutMs, connections);
  }

  /**
   * @throws {ChannelError} `transient` for connection failures, timeouts and 4xx replies; permanent
   *   for 5xx replies (e.g. 550 recipient rejected) and for blocks that cannot be rendered.
   */
  async send(notificationId: string, email: SendEmailV3): Promise<{ messageId: string }> {
    if (!MESSAGE_ID_LOCAL_PART.test(notificationId)) {
      throw new ChannelError(
        `notificationId must be 1-128 letters, digits, ".", "_" or "-", got ${JSON.stringify(notificationId)}`,
        false,
      );
    }
    const { html, text } = this.renderer.render(email);
    try {
      const info = await this.transport.sendMail({
        from: this.from,
        to: email.to,
        subject: email.subject,
        html,
        text,
        messageId: `<${notificationId}@${this.messageIdDomain}>`,
      });
      return { messageId: info.messageId };
    } catch (error) {
      throw smtpChannelError(error);
    }
  }

  close(): void {
    this.transport.close();
  }
}

function createPooledTransport(url: string, timeoutMs: number, connections: number) {
  return createTransport({
    url,
    pool: true,
    // One connection per request of a delivery chunk (nodemailer's default of 5 would cap a
    // chunk); the e-mails of other chunks in flight wait for a free connection.
    maxConnections: connections,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
}

/** The domain of the `SMTP_FROM` address, the right-hand side of every Message-ID. */
export function senderDomain(from: string): string {
  const [sender] = addressparser(from, { flatten: true });
  const domain = sender?.address.split('@')[1];
  if (!domain) {
    throw new Error(
      `SMTP_FROM must contain an e-mail address, e.g. "Signal <no-reply@example.com>"`,
    );
  }
  return domain;
}

/**
 * RFC 5321 reply classes: 4xx may pass later, 5xx (except 503, a session-state error) will not.
 * Without a reply, only a lost or timed-out connection is worth retrying.
 */
function smtpChannelError(error: unknown): ChannelError {
  const { responseCode } = (error ?? {}) as NodemailerError;
  const transient =
    responseCode !== undefined
      ? !isPermanentResponseCode(responseCode)
      : isTransientError(error as NodemailerError);
  return new ChannelError(`SMTP: ${errorMessage(error)}`, transient);
}
