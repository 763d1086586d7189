import { ConfigValidationError, loadSignalConfig } from '../signal-config';

describe('legacy adapter settings', () => {
  it('should default to this app as Producer with the first API key that may call it', () => {
    const sut = loadSignalConfig({
      SIGNAL_DEV_CREDENTIALS: 'true',
      PORT: '8080',
      SIGNAL_API_KEYS: 'key-one-0123456789,key-two-0123456789',
    });

    expect(sut.legacy).toEqual({
      bindingPattern: '#',
      producerUrl: 'http://127.0.0.1:8080',
      apiKey: 'key-one-0123456789',
      pushApp: 'LEGACY_V1',
      schedulePollMs: 1000,
      processedRetentionDays: 30,
      deliveryConcurrency: 8,
      redirects: {},
    });
  });

  it('should read redirect templates by service', () => {
    const sut = loadSignalConfig({
      SIGNAL_DEV_CREDENTIALS: 'true',
      NOTIFICATION_REDIRECT_LOAPHUONG: '/announcements/{contentId}',
      NOTIFICATION_REDIRECT_TASK: '',
    });

    expect(sut.legacy.redirects).toEqual({ LOAPHUONG: '/announcements/{contentId}' });
  });

  it.each([
    ['NOTIFICATION_REDIRECT_loaphuong', '/a/{contentId}', 'the service part must be upper-case'],
    ['NOTIFICATION_REDIRECT_TASK', '/tasks/{id}', 'unknown placeholder {id}'],
    ['NOTIFICATION_REDIRECT_TASK', '/tasks/ {contentId}', 'must not contain whitespace'],
    ['NOTIFICATION_REDIRECT_TASK', 'javascript:open({contentId})', 'an http(s) URL or a relative'],
    ['NOTIFICATION_REDIRECT_TASK', '//cdn.example/{contentId}', 'an http(s) URL or a relative'],
    ['LEGACY_RABBIT_BINDING_PATTERN', 'a..b', 'must be a topic pattern'],
    ['LEGACY_PHX_PRODUCER_URL', 'ftp://x', 'must be a URL with scheme http or https'],
  ])('should refuse %s=%s', (name, value, message) => {
    expect(() => loadSignalConfig({ [name]: value })).toThrow(ConfigValidationError);
    expect(() => loadSignalConfig({ [name]: value })).toThrow(`- ${name}: `);
    expect(() => loadSignalConfig({ [name]: value })).toThrow(message);
  });
});
