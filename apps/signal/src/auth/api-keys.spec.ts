import { apiKeyListProblems, parseApiKeys } from './api-keys';

describe(parseApiKeys.name, () => {
  it('should give a key without scopes every scope, and a scoped key only its own', () => {
    expect(
      parseApiKeys('all-scopes-0123456789,emitter-0123456789:emit,ops-0123456789:admin+producer'),
    ).toEqual([
      { key: 'all-scopes-0123456789', scopes: ['emit', 'producer', 'admin'] },
      { key: 'emitter-0123456789', scopes: ['emit'] },
      { key: 'ops-0123456789', scopes: ['admin', 'producer'] },
    ]);
  });
});

describe(apiKeyListProblems.name, () => {
  it('should accept keys with and without scopes', () => {
    expect(apiKeyListProblems('key-0123456789abcdef,key2-0123456789abc:emit+admin')).toEqual([]);
  });

  it.each([
    [
      'key-0123456789abcdef:emitt',
      'SIGNAL_API_KEYS: entry 1 has an unknown scope "emitt" (scopes: emit, producer, admin; none = all)',
    ],
    [
      'key-0123456789abcdef,key2-0123456789abc:emit+Secret42',
      'SIGNAL_API_KEYS: entry 2 has an unknown scope one (scopes: emit, producer, admin; none = all)',
    ],
    [
      'short:emit',
      'SIGNAL_API_KEYS: entry 1 must be a key of at least 16 characters without spaces, "," or ":", optionally followed by :scope+scope',
    ],
    [
      'key-0123456789abcdef:emit:admin',
      'SIGNAL_API_KEYS: entry 1 must be a key of at least 16 characters without spaces, "," or ":", optionally followed by :scope+scope',
    ],
  ])('should name what is wrong with %j, without echoing the key', (list, problem) => {
    expect(apiKeyListProblems(list)).toEqual([problem]);
  });
});
