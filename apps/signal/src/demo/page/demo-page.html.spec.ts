import { demoPageHtml } from './demo-page.html';

describe(demoPageHtml.name, () => {
  it('should link the mail catcher, its URL escaped in the attribute and the text', () => {
    const html = demoPageHtml({ mailCatcherUrl: 'http://127.0.0.1:1080/?a=1&b="<2>"' });

    expect(html).toContain('href="http://127.0.0.1:1080/?a=1&amp;b=&quot;&lt;2&gt;&quot;"');
    expect(html).toContain('data-testid="mail-catcher-link">http://127.0.0.1:1080/?a=1&amp;b=');
  });

  it('should have no mail catcher link without a URL', () => {
    expect(demoPageHtml({ mailCatcherUrl: null })).not.toContain('mail-catcher');
  });
});
