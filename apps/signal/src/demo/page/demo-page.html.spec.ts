import { demoPageHtml } from './demo-page.html';

describe(demoPageHtml.name, () => {
  it('should link the mail catcher with its URL escaped for the attribute', () => {
    const html = demoPageHtml({ mailCatcherUrl: 'http://127.0.0.1:1080/?a=1&b="2"' });

    expect(html).toContain('href="http://127.0.0.1:1080/?a=1&amp;b=&quot;2&quot;"');
    expect(html).toContain('data-testid="mail-catcher-link"');
  });

  it('should have no mail catcher link without a URL', () => {
    expect(demoPageHtml({ mailCatcherUrl: null })).not.toContain('mail-catcher');
  });
});
