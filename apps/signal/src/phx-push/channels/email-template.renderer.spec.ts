import { EmailType, IGroupRequestType, SendEmailV3 } from 'phx-node';
import { emailPayload } from '../../../../../libs/phx-node/test/payloads';
import { EmailRenderError, EmailTemplateRenderer } from './email-template.renderer';

/** The seed's fee notice block, as the library's tests build it. */
const aTransactionEmail = (overrides: Partial<SendEmailV3> = {}) =>
  emailPayload(overrides).sendEmailV3 as SendEmailV3;

const aGroup = (overrides: Partial<IGroupRequestType> = {}): IGroupRequestType => ({
  type: 'OVERTIME',
  title: 'Đăng ký làm thêm',
  total: 3,
  link: 'https://portal.phx.vn/hrm/overtime?status=pending',
  requests: [{ id: 1, title: 'Làm thêm thứ Bảy', requester: 'Nguyễn Văn A' }],
  ...overrides,
});

const aRemindEmail = (overrides: Partial<SendEmailV3> = {}): SendEmailV3 => ({
  emailType: EmailType.HRM_REMIND,
  to: 'manager@example.com',
  subject: 'Yêu cầu chờ duyệt',
  title: 'Bạn có yêu cầu chờ duyệt',
  previewText: '5 yêu cầu đang chờ',
  listRequests: [aGroup()],
  ...overrides,
});

/** The hidden pre-header: the first element of the body. */
function preheaderOf(html: string): string {
  const match = /<body[^>]*>\s*<div class="preheader" style="([^"]*)">([^<]*)<\/div>/.exec(html);
  if (!match) throw new Error(`no pre-header right after <body> in:\n${html}`);
  expect(match[1]).toContain('display:none');
  return match[2];
}

describe(EmailTemplateRenderer.name, () => {
  let sut: EmailTemplateRenderer;

  beforeEach(() => {
    sut = new EmailTemplateRenderer();
  });

  describe(EmailType.TRANSACTION_BASIC, () => {
    it('should put the preview text in a hidden pre-header first, then the title and content', () => {
      const { html, text } = sut.render(aTransactionEmail());

      expect(preheaderOf(html)).toMatch(/^Nhà trường xin thông báo\.\.\./);
      expect(html).toContain(
        '<h1 style="margin:0 0 16px;font-size:22px;line-height:1.3;">Thông báo học phí</h1>',
      );
      expect(html).toContain('Nội dung chi tiết...');
      expect(html.indexOf('Nhà trường')).toBeLessThan(html.indexOf('<h1'));
      expect(text).toBe('Thông báo học phí\n\nNội dung chi tiết...\n');
    });

    it("should render the seed's HTML content as HTML and keep every other field escaped", () => {
      const { html, text } = sut.render(
        aTransactionEmail({
          title: 'Fees & <b>dues</b>',
          previewText: '"quoted" <preview>',
          content:
            '<p>Học phí <b>tháng 12</b></p><p onclick="steal()">Xem <a href="https://portal.phx.vn/fees">chi tiết</a><img src="https://t.example/open.gif"><script>alert(1)</script></p>',
        }),
      );

      expect(html).toContain('<title>Fees &amp; &lt;b&gt;dues&lt;/b&gt;</title>');
      expect(html).toContain('Fees &amp; &lt;b&gt;dues&lt;/b&gt;</h1>');
      expect(preheaderOf(html)).toMatch(/^&quot;quoted&quot; &lt;preview&gt;/);
      expect(html).toContain(
        '<div class="content" style="font-size:15px;line-height:1.6;"><p>Học phí <b>tháng 12</b></p><p>Xem <a href="https://portal.phx.vn/fees" rel="noopener noreferrer" target="_blank">chi tiết</a></p></div>',
      );
      expect(html).not.toMatch(/<script|<img|onclick|alert/);
      expect(text).toBe(
        'Fees & <b>dues</b>\n\nHọc phí tháng 12\n\nXem chi tiết [https://portal.phx.vn/fees]\n',
      );
    });

    it('should render plain-text content escaped, with its line breaks', () => {
      const { html, text } = sut.render(
        aTransactionEmail({ content: 'Số tiền: 1.200.000đ\r\nHạn nộp: 10/05 & "trước" 5 < 6' }),
      );

      expect(html).toContain(
        'Số tiền: 1.200.000đ<br>\nHạn nộp: 10/05 &amp; &quot;trước&quot; 5 &lt; 6</div>',
      );
      expect(text).toBe(
        'Thông báo học phí\n\nSố tiền: 1.200.000đ\nHạn nộp: 10/05 & "trước" 5 < 6\n',
      );
    });

    it('should refuse content that has no text left once unsafe markup is removed', () => {
      const render = () =>
        sut.render(
          aTransactionEmail({
            content: '<img src="https://t.example/open.gif"><script>x()</script>',
          }),
        );

      expect(render).toThrow(
        new EmailRenderError(
          'cannot render transaction-basic e-mail: content has no text left once unsafe markup is removed',
        ),
      );
      expect(render).toThrow(expect.objectContaining({ transient: false }) as Error);
    });

    it('should refuse a block without content', () => {
      expect(() => sut.render(aTransactionEmail({ content: '  ' }))).toThrow(
        new EmailRenderError('cannot render transaction-basic e-mail: content is required'),
      );
    });
  });

  describe(EmailType.HRM_REMIND, () => {
    it('should render the HTML description and every group with its total, requests and link', () => {
      const { html, text } = sut.render(
        aRemindEmail({
          description:
            'Vui lòng xử lý <b>trước thứ Sáu</b>.<iframe src="https://evil.example"></iframe>',
          listRequests: [
            aGroup(),
            aGroup({
              type: 'LEAVE',
              title: 'Nghỉ phép',
              total: 2,
              link: undefined,
              requests: [
                { id: 'L-1', title: 'Nghỉ ốm', createdAt: '2024-05-02T08:00:00Z' },
                { id: 'L-2', title: 'Nghỉ phép năm' },
              ],
            }),
          ],
        }),
      );

      expect(preheaderOf(html)).toMatch(/^5 yêu cầu đang chờ/);
      expect(html).toContain('Bạn có yêu cầu chờ duyệt</h1>');
      expect(html).toContain('Vui lòng xử lý <b>trước thứ Sáu</b>.</div>');
      expect(html).not.toContain('iframe');
      expect(html.match(/class="request-group"/g)).toHaveLength(2);
      expect(html).toContain('Đăng ký làm thêm <span class="total">(3)</span>');
      expect(html).toContain('<li>Làm thêm thứ Bảy — Nguyễn Văn A</li>');
      expect(html).toContain('href="https://portal.phx.vn/hrm/overtime?status&#x3D;pending"');
      expect(html).toContain('Nghỉ phép <span class="total">(2)</span>');
      expect(html).toContain(
        '<li>Nghỉ ốm <span style="color:#7b8794;">(2024-05-02T08:00:00Z)</span></li>',
      );
      expect(html.match(/Xem chi tiết/g)).toHaveLength(1);
      expect(text).toBe(
        [
          'Bạn có yêu cầu chờ duyệt',
          '',
          'Vui lòng xử lý trước thứ Sáu.',
          '',
          'Đăng ký làm thêm (3)',
          '- Làm thêm thứ Bảy — Nguyễn Văn A',
          '',
          'Xem chi tiết [https://portal.phx.vn/hrm/overtime?status=pending]',
          '',
          'Nghỉ phép (2)',
          '- Nghỉ ốm (2024-05-02T08:00:00Z)',
          '- Nghỉ phép năm',
          '',
        ].join('\n'),
      );
    });

    it('should refuse an empty listRequests and a link that is not http(s)', () => {
      expect(() => sut.render(aRemindEmail({ listRequests: [] }))).toThrow(
        'cannot render hrm-remind e-mail: listRequests must be a non-empty array',
      );
      expect(() =>
        sut.render(aRemindEmail({ listRequests: [aGroup({ link: 'javascript:alert(1)' })] })),
      ).toThrow('listRequests[0].link must be an http(s) URL');
    });
  });

  it('should refuse an unknown emailType as a permanent failure', () => {
    const render = () => sut.render(aTransactionEmail({ emailType: 'newsletter' as EmailType }));

    expect(render).toThrow('unknown emailType "newsletter" (known: transaction-basic, hrm-remind)');
    expect(render).toThrow(expect.objectContaining({ transient: false }) as Error);
  });
});
