import {
  DEVELOPMENT_API_KEY,
  DEVELOPMENT_JWT_SECRET,
  loadSignalConfig,
  ConfigValidationError,
} from '../signal-config';
import { loadWithDevCredentials, publicKeyPem } from '../config-testing';
import { parseAuth } from './auth.section';

describe(parseAuth.name, () => {
  const NEW_KEY = publicKeyPem();
  const OLD_KEY = publicKeyPem();

  it('should fall back to named development keys outside production', () => {
    const sut = loadWithDevCredentials({});
    expect(sut.auth.jwt).toEqual({
      algorithm: 'HS256',
      keys: [DEVELOPMENT_JWT_SECRET],
      issuer: null,
      audience: null,
    });
    expect(sut.auth.apiKeys).toEqual([
      { key: DEVELOPMENT_API_KEY, scopes: ['emit', 'producer', 'admin'] },
    ]);
    expect(sut.auth.developmentDefaults).toEqual(['SIGNAL_JWT_SECRET', 'SIGNAL_API_KEYS']);
  });

  it('should stop outside production naming unset credentials unless SIGNAL_DEV_CREDENTIALS=true', () => {
    for (const NODE_ENV of ['development', 'test']) {
      let caught: unknown;
      try {
        loadSignalConfig({ NODE_ENV });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ConfigValidationError);
      expect((caught as ConfigValidationError).problems).toEqual([
        'SIGNAL_JWT_SECRET: required (or SIGNAL_DEV_CREDENTIALS=true for the well-known development value, never in production); or set SIGNAL_JWT_PUBLIC_KEY',
        'SIGNAL_API_KEYS: required (or SIGNAL_DEV_CREDENTIALS=true for the well-known development value, never in production)',
      ]);
    }
    expect(() => loadSignalConfig({ SIGNAL_API_KEYS: 'key-one-0123456789' })).toThrow(
      /- SIGNAL_JWT_SECRET: required/,
    );
  });

  it('should use a development value only for what is unset', () => {
    const sut = loadWithDevCredentials({ SIGNAL_JWT_SECRET: 'a-long-enough-secret' });
    expect(sut.auth.jwt.keys).toEqual(['a-long-enough-secret']);
    expect(sut.auth.developmentDefaults).toEqual(['SIGNAL_API_KEYS']);
  });

  it('should refuse SIGNAL_DEV_CREDENTIALS in production', () => {
    expect(() =>
      loadSignalConfig({
        NODE_ENV: 'production',
        SIGNAL_DEV_CREDENTIALS: 'true',
        SIGNAL_JWT_SECRET: 'a-long-enough-secret',
        SIGNAL_API_KEYS: 'key-one-0123456789',
      }),
    ).toThrow('- SIGNAL_DEV_CREDENTIALS: refused in production');
  });

  it('should require a JWT key and API keys in production', () => {
    expect(() => loadSignalConfig({ NODE_ENV: 'production' })).toThrow(
      /- SIGNAL_JWT_SECRET: required in production[\s\S]*- SIGNAL_API_KEYS: required in production/,
    );
  });

  it('should refuse both a secret and a public key', () => {
    expect(() =>
      loadWithDevCredentials({
        SIGNAL_JWT_SECRET: 'a-long-enough-secret',
        SIGNAL_JWT_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----\\nabc\\n-----END PUBLIC KEY-----',
      }),
    ).toThrow('- SIGNAL_JWT_SECRET: set either it or SIGNAL_JWT_PUBLIC_KEY, not both');
  });

  it('should read an RS256 public key with escaped newlines and a list of API keys', () => {
    const sut = loadSignalConfig({
      NODE_ENV: 'production',
      SIGNAL_JWT_PUBLIC_KEY: NEW_KEY.escaped,
      SIGNAL_API_KEYS: 'key-one-0123456789,key-two-0123456789',
    });
    expect(sut.auth.jwt).toEqual({
      algorithm: 'RS256',
      keys: [NEW_KEY.pem],
      issuer: null,
      audience: null,
    });
    expect(sut.auth.apiKeys).toEqual([
      { key: 'key-one-0123456789', scopes: ['emit', 'producer', 'admin'] },
      { key: 'key-two-0123456789', scopes: ['emit', 'producer', 'admin'] },
    ]);
    expect(sut.auth.developmentDefaults).toEqual([]);
  });

  it('should name an unknown scope in SIGNAL_API_KEYS', () => {
    expect(() =>
      loadWithDevCredentials({ SIGNAL_API_KEYS: 'emitter-0123456789:emit+broadcast' }),
    ).toThrow(
      '- SIGNAL_API_KEYS: entry 1 has an unknown scope "broadcast" (scopes: emit, producer, admin; none = all)',
    );
  });

  describe('rotation and token claims', () => {
    it('should verify with the current key first, then the previous one, of one algorithm', () => {
      expect(
        loadWithDevCredentials({
          SIGNAL_JWT_SECRET: 'the-new-secret-0123456789',
          SIGNAL_JWT_PREVIOUS_SECRET: 'the-old-secret-0123456789',
        }).auth.jwt,
      ).toEqual({
        algorithm: 'HS256',
        keys: ['the-new-secret-0123456789', 'the-old-secret-0123456789'],
        issuer: null,
        audience: null,
      });
      expect(
        loadWithDevCredentials({
          SIGNAL_JWT_PUBLIC_KEY: NEW_KEY.escaped,
          SIGNAL_JWT_PREVIOUS_PUBLIC_KEY: OLD_KEY.escaped,
        }).auth.jwt.keys,
      ).toEqual([NEW_KEY.pem, OLD_KEY.pem]);
    });

    it('should refuse a previous key without a current one of its algorithm', () => {
      expect(() =>
        loadWithDevCredentials({ SIGNAL_JWT_PREVIOUS_SECRET: 'the-old-secret-0123456789' }),
      ).toThrow(
        '- SIGNAL_JWT_PREVIOUS_SECRET: only beside SIGNAL_JWT_SECRET, the key it is being replaced by (a rotation keeps the algorithm, HS256)',
      );
      expect(() =>
        loadWithDevCredentials({
          SIGNAL_JWT_PUBLIC_KEY: NEW_KEY.escaped,
          SIGNAL_JWT_PREVIOUS_SECRET: 'the-old-secret-0123456789',
        }),
      ).toThrow('- SIGNAL_JWT_PREVIOUS_SECRET: only beside SIGNAL_JWT_SECRET');
      expect(() =>
        loadWithDevCredentials({
          SIGNAL_JWT_SECRET: 'the-new-secret-0123456789',
          SIGNAL_JWT_PREVIOUS_PUBLIC_KEY: OLD_KEY.escaped,
        }),
      ).toThrow(
        '- SIGNAL_JWT_PREVIOUS_PUBLIC_KEY: only beside SIGNAL_JWT_PUBLIC_KEY, the key it is being replaced by (a rotation keeps the algorithm, RS256)',
      );
    });

    it('should refuse a previous key equal to the current one', () => {
      expect(() =>
        loadWithDevCredentials({
          SIGNAL_JWT_SECRET: 'the-new-secret-0123456789',
          SIGNAL_JWT_PREVIOUS_SECRET: 'the-new-secret-0123456789',
        }),
      ).toThrow(
        '- SIGNAL_JWT_PREVIOUS_SECRET: is SIGNAL_JWT_SECRET itself; leave it empty when not rotating',
      );
    });

    it('should read the issuer and audience to check', () => {
      const sut = loadWithDevCredentials({
        SIGNAL_JWT_ISSUER: 'https://auth.example',
        SIGNAL_JWT_AUDIENCE: 'signal',
      });
      expect(sut.auth.jwt).toMatchObject({ issuer: 'https://auth.example', audience: 'signal' });
    });
  });

  it('should refuse a public key that looks like a PEM but does not parse, naming the variable', () => {
    expect(() =>
      loadWithDevCredentials({
        SIGNAL_JWT_PUBLIC_KEY: NEW_KEY.escaped,
        SIGNAL_JWT_PREVIOUS_PUBLIC_KEY:
          '-----BEGIN PUBLIC KEY-----\\nabc\\n-----END PUBLIC KEY-----',
      }),
    ).toThrow(/- SIGNAL_JWT_PREVIOUS_PUBLIC_KEY: not a usable PEM public key \(.+\)/);
  });

  it.each([
    ['SIGNAL_JWT_SECRET', 'short'],
    ['SIGNAL_JWT_PUBLIC_KEY', 'not a pem'],
    ['SIGNAL_JWT_PREVIOUS_SECRET', 'short'],
    ['SIGNAL_JWT_PREVIOUS_PUBLIC_KEY', 'not a pem'],
    ['SIGNAL_JWT_ISSUER', 'two words'],
    ['SIGNAL_JWT_AUDIENCE', 'x'.repeat(1001)],
    ['SIGNAL_API_KEYS', 'ok-key-0123456789,short'],
  ])('should refuse %s=%s', (name, value) => {
    expect(() => loadWithDevCredentials({ [name]: value })).toThrow(new RegExp(`- ${name}: `));
  });
});
