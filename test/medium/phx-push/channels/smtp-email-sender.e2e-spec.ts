import { TestingModule } from '@nestjs/testing';
import { EmailType, SendEmailV3 } from 'phx-node';
import { ChannelError } from '../../../../apps/signal/src/phx-push/channels/channel-failure';
import {
  EMAIL_SENDER,
  EmailSender,
} from '../../../../apps/signal/src/phx-push/channels/email-sender';
import { SmtpTestServer } from '../../../support/smtp-test-server';
import { startPhxChannels } from './phx-channels-testing';

const FROM = 'PHX School <no-reply@phx.example>';

const aFeeNotice = (overrides: Partial<SendEmailV3> = {}): SendEmailV3 => ({
  emailType: EmailType.TRANSACTION_BASIC,
  to: 'parent@example.com',
  subject: 'Thông báo học phí',
  title: 'Học phí tháng 5',
  previewText: 'Nhà trường xin thông báo...',
  content: 'Số tiền: 1.200.000đ\nHạn nộp: 10/05',
  ...overrides,
});

/** The hidden pre-header's style and text, when the body starts with one. */
function preheaderOf(html: string) {
  const match = /<body[^>]*>\s*<div class="preheader" style="([^"]*)">([^<]*)<\/div>/.exec(html);
  return match ? { style: match[1], text: match[2] } : null;
}

async function rejection(promise: Promise<unknown>): Promise<ChannelError> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  if (!(error instanceof ChannelError))
    throw new Error(`expected a ChannelError, got ${String(error)}`);
  return error;
}

describe('SmtpEmailSender: PHX e-mails to a real SMTP server', () => {
  let smtp: SmtpTestServer;
  let channels: TestingModule;
  let sut: EmailSender;

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    channels = await startPhxChannels({
      SMTP_URL: smtp.url,
      SMTP_FROM: FROM,
      SMTP_TIMEOUT_MS: '3000',
    });
    sut = channels.get<EmailSender>(EMAIL_SENDER);
  });

  afterAll(async () => {
    await channels.close();
    await smtp.close();
  });

  it('should send a transaction-basic e-mail with subject, sender, pre-header and content', async () => {
    const { messageId } = await sut.send('req-mail-1', aFeeNotice());

    expect(messageId).toBe('<req-mail-1@phx.example>');
    const received = smtp.received.find(({ mail }) => mail.messageId === messageId);
    if (!received) throw new Error('the SMTP server did not receive the message');
    const { envelope, mail } = received;
    expect(envelope).toEqual({ from: 'no-reply@phx.example', to: ['parent@example.com'] });
    expect(mail.subject).toBe('Thông báo học phí');
    expect(mail.from?.value).toEqual([{ name: 'PHX School', address: 'no-reply@phx.example' }]);
    expect(mail.to).toMatchObject({ value: [{ address: 'parent@example.com' }] });

    const html = String(mail.html);
    const preheader = preheaderOf(html);
    expect(preheader?.text).toMatch(/^Nhà trường xin thông báo\.\.\./);
    expect(preheader?.style).toContain('display:none');
    expect(preheader?.style).toContain('max-height:0');
    expect(html).toContain('Học phí tháng 5</h1>');
    expect(html).toContain('Số tiền: 1.200.000đ<br>\nHạn nộp: 10/05');
    expect(mail.text).toBe('Học phí tháng 5\n\nSố tiền: 1.200.000đ\nHạn nộp: 10/05\n');
  });

  it('should render an hrm-remind e-mail with every group of requests', async () => {
    const { messageId } = await sut.send('req-mail-2', {
      emailType: EmailType.HRM_REMIND,
      to: 'manager@example.com',
      subject: 'Yêu cầu chờ duyệt',
      title: 'Bạn có 5 yêu cầu chờ duyệt',
      previewText: 'Đăng ký làm thêm và nghỉ phép đang chờ',
      description: 'Vui lòng xử lý trước thứ Sáu.',
      listRequests: [
        {
          type: 'OVERTIME',
          title: 'Đăng ký làm thêm',
          total: 3,
          link: 'https://portal.phx.vn/hrm/overtime',
          requests: [{ id: 1, title: 'Làm thêm thứ Bảy', requester: 'Nguyễn Văn A' }],
        },
        {
          type: 'LEAVE',
          title: 'Nghỉ phép',
          total: 2,
          link: 'https://portal.phx.vn/hrm/leave',
          requests: [
            { id: 'L-1', title: 'Nghỉ ốm', requester: 'Trần Thị B' },
            { id: 'L-2', title: 'Nghỉ phép năm', requester: 'Lê Văn C' },
          ],
        },
      ],
    });

    const mail = smtp.received.find((received) => received.mail.messageId === messageId)?.mail;
    const html = String(mail?.html);
    expect(mail?.subject).toBe('Yêu cầu chờ duyệt');
    expect(preheaderOf(html)?.text).toMatch(/^Đăng ký làm thêm và nghỉ phép đang chờ/);
    expect(html).toContain('Vui lòng xử lý trước thứ Sáu.');
    expect(html.match(/class="request-group"/g)).toHaveLength(2);
    expect(html).toContain('Đăng ký làm thêm <span class="total">(3)</span>');
    expect(html).toContain('<li>Làm thêm thứ Bảy — Nguyễn Văn A</li>');
    expect(html).toContain('href="https://portal.phx.vn/hrm/overtime"');
    expect(html).toContain('Nghỉ phép <span class="total">(2)</span>');
    expect(html).toContain('<li>Nghỉ ốm — Trần Thị B</li>');
    expect(html).toContain('<li>Nghỉ phép năm — Lê Văn C</li>');
    expect(html).toContain('href="https://portal.phx.vn/hrm/leave"');
    expect(mail?.text).toContain(
      'Nghỉ phép (2)\n- Nghỉ ốm — Trần Thị B\n- Nghỉ phép năm — Lê Văn C\n',
    );
  });

  it('should reject with a permanent ChannelError on 550 and a transient one on 450', async () => {
    smtp.rejectRecipient('gone@example.com', 550, 'Mailbox unavailable');
    smtp.rejectRecipient('full@example.com', 450, 'Mailbox busy, try later');

    const gone = await rejection(sut.send('req-mail-3', aFeeNotice({ to: 'gone@example.com' })));
    const full = await rejection(sut.send('req-mail-4', aFeeNotice({ to: 'full@example.com' })));

    expect(gone.transient).toBe(false);
    expect(gone.reason).toMatch(/^SMTP: .*550 Mailbox unavailable/);
    expect(full.transient).toBe(true);
    expect(full.reason).toMatch(/^SMTP: .*450 Mailbox busy, try later/);
    expect(smtp.received.flatMap(({ envelope }) => envelope.to)).not.toContain('gone@example.com');
  });

  it('should reject with a permanent ChannelError when the block cannot be rendered', async () => {
    const error = await rejection(sut.send('req-mail-5', aFeeNotice({ content: undefined })));

    expect(error).toMatchObject({
      transient: false,
      reason: 'cannot render transaction-basic e-mail: content is required',
    });
  });

  it('should reject with a transient ChannelError when the SMTP server is down', async () => {
    const down = await SmtpTestServer.start();
    const url = down.url;
    await down.close();
    const unreachable = await startPhxChannels({
      SMTP_URL: url,
      SMTP_FROM: FROM,
      SMTP_TIMEOUT_MS: '3000',
    });
    try {
      const error = await rejection(
        unreachable.get<EmailSender>(EMAIL_SENDER).send('req-mail-6', aFeeNotice()),
      );

      expect(error.transient).toBe(true);
      expect(error.reason).toMatch(/^SMTP: .*ECONNREFUSED/);
    } finally {
      await unreachable.close();
    }
  });
});
