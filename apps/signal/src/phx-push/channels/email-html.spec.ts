import { emailHtml, emailText } from './email-html';

// What no sanitized output may contain, whatever the input: tags that run, load, submit or
// redirect, event handlers, and URLs or CSS that run or fetch.
const FORBIDDEN = [
  /<\s*(script|style|iframe|object|embed|form|input|button|textarea|select|img|svg|math|link|meta|base|title|xmp|noscript)\b/i,
  /\son[a-z]+\s*=/i,
  /javascript:|vbscript:|data:/i,
  /url\s*\(|expression\s*\(/i,
  /<!--|<!\[CDATA\[/,
  /\s(class|id|src|srcset|background|action|formaction)\s*=/i,
];

describe('emailHtml', () => {
  describe('hostile markup', () => {
    it.each([
      ['script', '<script>alert(1)</script>Xin chào', 'Xin chào'],
      [
        'script with src, upper case',
        '<SCRIPT SRC=https://evil.example/x.js></SCRIPT>Xin chào',
        'Xin chào',
      ],
      ['img with onerror', '<img src=x onerror=alert(1)>Xin chào', 'Xin chào'],
      [
        'event handlers',
        '<p onclick="alert(1)" onmouseover=alert(1)>Xin chào</p>',
        '<p>Xin chào</p>',
      ],
      ['javascript: link', '<a href="javascript:alert(1)">Thanh toán</a>', '<a>Thanh toán</a>'],
      [
        'mixed-case javascript: link',
        '<a href="JaVaScRiPt:alert(1)">Thanh toán</a>',
        '<a>Thanh toán</a>',
      ],
      [
        'javascript: link as decimal entities',
        '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">Thanh toán</a>',
        '<a>Thanh toán</a>',
      ],
      [
        'javascript: link as hex and named entities',
        '<a href="&#x6A;avascript&colon;alert(1)">Thanh toán</a>',
        '<a>Thanh toán</a>',
      ],
      [
        'javascript: link with a zero-padded entity',
        '<a href="&#0000106avascript:alert(1)">Thanh toán</a>',
        '<a>Thanh toán</a>',
      ],
      [
        'javascript: link split by a tab',
        '<a href="java\tscript:alert(1)">Thanh toán</a>',
        '<a>Thanh toán</a>',
      ],
      [
        'javascript: link after a control character',
        '<a href=" \x01javascript:alert(1)">Thanh toán</a>',
        '<a>Thanh toán</a>',
      ],
      [
        'data: link',
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">Thanh toán</a>',
        '<a>Thanh toán</a>',
      ],
      ['vbscript: link', '<a href="vbscript:msgbox(1)">Thanh toán</a>', '<a>Thanh toán</a>'],
      ['relative link', '<a href="/hoc-phi">Thanh toán</a>', '<a>Thanh toán</a>'],
      [
        'protocol-relative link',
        '<a href="//evil.example/pay">Thanh toán</a>',
        '<a>Thanh toán</a>',
      ],
      ['iframe', '<iframe src="https://evil.example"></iframe>Xin chào', 'Xin chào'],
      [
        'object and embed',
        '<object data="https://evil.example/x.swf"></object><embed src="https://evil.example/x.swf">Xin chào',
        'Xin chào',
      ],
      [
        'form with inputs',
        '<form action="https://evil.example/login"><input name="password"><button>Đăng nhập</button></form>',
        'Đăng nhập',
      ],
      [
        '<style> loading a tracker',
        '<style>body{background:url(https://t.example/open.gif)}</style><p>Xin chào</p>',
        '<p>Xin chào</p>',
      ],
      [
        '<link> stylesheet',
        '<link rel="stylesheet" href="https://t.example/track.css"><p>Xin chào</p>',
        '<p>Xin chào</p>',
      ],
      [
        '<meta> refresh',
        '<meta http-equiv="refresh" content="0;url=https://evil.example"><p>Xin chào</p>',
        '<p>Xin chào</p>',
      ],
      [
        '<base href>',
        '<base href="https://evil.example/"><a href="https://portal.phx.vn/">Xem</a>',
        '<a href="https://portal.phx.vn/" rel="noopener noreferrer" target="_blank">Xem</a>',
      ],
      [
        'style with a background url()',
        '<p style="background:url(https://t.example/open.gif);color:#c00">Xin chào</p>',
        '<p style="color:#c00">Xin chào</p>',
      ],
      [
        'style with a background-image url()',
        `<p style="background-image: url('https://t.example/open.gif')">Xin chào</p>`,
        '<p>Xin chào</p>',
      ],
      [
        'style with expression()',
        '<p style="color: expression(alert(1))">Xin chào</p>',
        '<p>Xin chào</p>',
      ],
      [
        'style that positions or hides',
        '<p style="position:fixed;top:0;display:none;color:red;font-weight:bold">Xin chào</p>',
        '<p style="color:red;font-weight:bold">Xin chào</p>',
      ],
      [
        'style with a CSS escape',
        '<div style="col\\6f r:red">Xin chào</div>',
        '<div>Xin chào</div>',
      ],
      ['svg with onload', '<svg onload=alert(1)><circle r=10></circle></svg>Xin chào', 'Xin chào'],
      [
        'img in a textarea in svg (GHSA-jxwj-j7wr-gfrw)',
        '<svg><textarea><img src=x onerror=alert(1)></textarea></svg>Xin chào',
        'Xin chào',
      ],
      [
        // htmlparser2 12 (sanitize-html 2.18) reads `</textarea/>` as the end tag, as browsers do.
        'img after an end tag with a trailing solidus',
        '<textarea></textarea/><img src=x onerror=alert(1)>Xin chào',
        'Xin chào',
      ],
      ['img in xmp', '<xmp><img src=x onerror=alert(1)></xmp>Xin chào', 'Xin chào'],
      [
        'mXSS through math and style',
        '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
        '',
      ],
      [
        'img in an attribute of noscript',
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>Xin chào',
        'Xin chào',
      ],
      ['script in a comment', '<!--<script>alert(1)</script>-->Xin chào', 'Xin chào'],
      [
        'conditional comment',
        '<!--[if mso]><script>alert(1)</script><![endif]-->Xin chào',
        'Xin chào',
      ],
      ['CDATA', '<![CDATA[<script>alert(1)</script>]]>Xin chào', 'Xin chào'],
      ['abruptly closed comment', '<!--><img src=x onerror=alert(1)>-->Xin chào', '--&gt;Xin chào'],
      ['title', '<title>Tiêu đề giả</title>Xin chào', 'Xin chào'],
      [
        'remote tracking pixel',
        '<img src="https://t.example/open.gif?u=8652" width="1" height="1">Xin chào',
        'Xin chào',
      ],
      ['cid: image', '<img src="cid:logo">Xin chào', 'Xin chào'],
      [
        'class, id and data attributes',
        '<p class="preheader" id="x" data-x="1">Xin chào</p>',
        '<p>Xin chào</p>',
      ],
      [
        'table cell background',
        '<table onclick="x()"><tr><td background="https://t.example/bg.gif">Học phí</td></tr></table>',
        '<table><tr><td>Học phí</td></tr></table>',
      ],
    ])('should neutralize %s', (_name, input, expected) => {
      const html = emailHtml(input);

      expect(html).toBe(expected);
      FORBIDDEN.forEach((pattern) => expect(html).not.toMatch(pattern));
    });

    it('should drop tags nested deeper than the limit and keep their text', () => {
      const html = emailHtml(`${'<div>'.repeat(5000)}Sâu${'</div>'.repeat(5000)}`);

      expect(html).toContain('Sâu');
      expect(html.match(/<div>/g)).toHaveLength(40);
      expect(emailText(html).trim()).toBe('Sâu');
    });
  });

  describe('formatting', () => {
    it("should keep the seed's fee notice markup as written", () => {
      const html = '<p>Học phí <b>tháng 12</b></p>';

      expect(emailHtml(html)).toBe(html);
    });

    it('should keep lists, headings, tables with their cell attributes and text styles', () => {
      const html = [
        '<h2 align="center">Chi tiết</h2>',
        '<ul><li><strong>một</strong></li><li><em>hai</em></li></ul><ol start="3"><li><u>ba</u></li></ol>',
        '<table width="100%" border="1" cellpadding="4" cellspacing="0"><thead><tr><th colspan="2" style="text-align:left">Khoản</th></tr></thead>',
        '<tbody><tr><td>Học phí</td><td align="right" style="font-weight:bold">1.000.000đ</td></tr></tbody></table>',
        '<p>Dòng 1<br />Dòng 2</p><blockquote><i>trích</i></blockquote><hr />',
        '<span style="color:rgb(255, 0, 0);background-color:#fff8e1;font-size:14px;font-style:italic;text-decoration:underline">đỏ</span>',
      ].join('');

      expect(emailHtml(html)).toBe(html);
    });

    it('should give links their checked URL, rel="noopener noreferrer", and a new window for web pages', () => {
      expect(
        emailHtml(
          '<a href="https://portal.phx.vn/fees?id=7&amp;tab=due" target="_self" onclick="x()" style="color:red">Xem</a>',
        ),
      ).toBe(
        '<a href="https://portal.phx.vn/fees?id=7&amp;tab=due" rel="noopener noreferrer" target="_blank">Xem</a>',
      );
      expect(emailHtml('<a href="HTTP://Portal.PHX.vn">Cổng</a>')).toBe(
        '<a href="http://portal.phx.vn/" rel="noopener noreferrer" target="_blank">Cổng</a>',
      );
      expect(
        emailHtml('<a href="mailto:ketoan@phx.vn?subject=H%E1%BB%8Dc%20ph%C3%AD">Kế toán</a>'),
      ).toBe(
        '<a href="mailto:ketoan@phx.vn?subject=H%E1%BB%8Dc%20ph%C3%AD" rel="noopener noreferrer">Kế toán</a>',
      );
    });

    it('should show a look-alike host of a link in its ASCII form', () => {
      // "phх" with a Cyrillic х: the text part shows the real host.
      expect(emailHtml('<a href="https://phх.vn/pay">Thanh toán</a>')).toBe(
        '<a href="https://xn--ph-1mc.vn/pay" rel="noopener noreferrer" target="_blank">Thanh toán</a>',
      );
    });
  });

  describe('plain text (no markup)', () => {
    it('should escape it and keep its line breaks', () => {
      expect(
        emailHtml('Số tiền: 1.200.000đ\r\nHạn nộp: 10/05\nLiên hệ: a < b & c > d, <tên>'),
      ).toBe(
        'Số tiền: 1.200.000đ<br>\nHạn nộp: 10/05<br>\nLiên hệ: a &lt; b &amp; c &gt; d, &lt;tên&gt;',
      );
    });
  });
});

describe('emailText', () => {
  it('should write links as "text [url]", once when the text is the URL', () => {
    expect(
      emailText(
        emailHtml(
          '<p>Xem <a href="https://portal.phx.vn/fees?id=7&amp;tab=due">chi tiết</a> hoặc <a href="https://portal.phx.vn/">https://portal.phx.vn/</a>, hỏi <a href="mailto:ketoan@phx.vn">ketoan@phx.vn</a> hay <a href="mailto:ketoan@phx.vn">phòng kế toán</a>.</p>',
        ),
      ),
    ).toBe(
      'Xem chi tiết [https://portal.phx.vn/fees?id=7&tab=due] hoặc https://portal.phx.vn/, hỏi ketoan@phx.vn hay phòng kế toán [ketoan@phx.vn].\n',
    );
  });

  it('should write paragraphs, line breaks, headings, lists and tables as lines, without markup', () => {
    const text = emailText(
      emailHtml(
        [
          '<p>Kính gửi phụ huynh,<br>Học phí <b>tháng 12</b>:</p>',
          '<h2>Chi tiết</h2>',
          '<table><tr><th>Khoản</th><th>Số tiền</th></tr><tr><td>Học phí</td><td>1.000.000đ</td></tr><tr><td>Ăn trưa</td><td>500.000đ</td></tr></table>',
          '<ul><li>Hạn nộp: 10/12</li><li>Chuyển khoản &amp; tiền mặt</li></ul>',
          '<ol><li>Đăng nhập</li><li>Thanh toán</li></ol>',
        ].join(''),
      ),
    );

    expect(text).toBe(
      [
        'Kính gửi phụ huynh,',
        'Học phí tháng 12:',
        '',
        'Chi tiết',
        '',
        'Khoản     Số tiền',
        'Học phí   1.000.000đ',
        'Ăn trưa   500.000đ',
        '',
        '- Hạn nộp: 10/12',
        '- Chuyển khoản & tiền mặt',
        '',
        ' 1. Đăng nhập',
        ' 2. Thanh toán',
        '',
      ].join('\n'),
    );
    expect(text).not.toMatch(/[<>]/);
  });

  it('should read plain text back with its line breaks and characters', () => {
    expect(emailText(emailHtml('Số tiền: 1.200.000đ\nGhi chú: a < b & "c"'))).toBe(
      'Số tiền: 1.200.000đ\nGhi chú: a < b & "c"\n',
    );
  });
});
