import { loadWithDevCredentials, problemsOf } from '../config-testing';
import { ConfigValidationError, loadSignalConfig } from '../signal-config';
import { parseLegacy } from './legacy.section';

describe(parseLegacy.name, () => {
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

  it('should read scoped API keys, giving the legacy adapter the first key with scope producer', () => {
    const sut = loadWithDevCredentials({
      SIGNAL_API_KEYS:
        'emitter-0123456789:emit,phx-key-0123456789:producer,ops-key-0123456789:admin',
    });
    expect(sut.auth.apiKeys).toEqual([
      { key: 'emitter-0123456789', scopes: ['emit'] },
      { key: 'phx-key-0123456789', scopes: ['producer'] },
      { key: 'ops-key-0123456789', scopes: ['admin'] },
    ]);
    expect(sut.legacy.apiKey).toBe('phx-key-0123456789');
  });

  it('should stop when the legacy adapter has no key that may call the Producer', () => {
    const emitAndAdmin = 'emitter-0123456789:emit,ops-key-0123456789:admin';
    expect(() => loadWithDevCredentials({ SIGNAL_API_KEYS: emitAndAdmin })).toThrow(
      '- LEGACY_PHX_API_KEY: not set, and no key of SIGNAL_API_KEYS has scope producer',
    );
    expect(() =>
      loadWithDevCredentials({
        SIGNAL_API_KEYS: emitAndAdmin,
        LEGACY_PHX_API_KEY: 'ops-key-0123456789',
      }),
    ).toThrow('- LEGACY_PHX_API_KEY: is a key of SIGNAL_API_KEYS without scope producer');
    expect(
      loadWithDevCredentials({ SIGNAL_API_KEYS: emitAndAdmin, RABBITMQ_ENABLED: 'false' }).auth
        .apiKeys,
    ).toHaveLength(2);
    expect(
      loadWithDevCredentials({
        SIGNAL_API_KEYS: emitAndAdmin,
        LEGACY_PHX_API_KEY: 'key-of-another-signal-0123',
        LEGACY_PHX_PRODUCER_URL: 'http://signal-b:3000',
      }).legacy.apiKey,
    ).toBe('key-of-another-signal-0123');
  });

  it('should check its own variables while a section it takes defaults from is bad', () => {
    const problems = problemsOf({ PORT: 'x', NOTIFICATION_REDIRECT_TASK: '/tasks/{id}' });

    expect(problems.map((problem) => problem.split(':')[0])).toEqual([
      'PORT',
      'NOTIFICATION_REDIRECT_TASK',
    ]);
  });
});
