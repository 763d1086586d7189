import { DEVELOPMENT_JWT_SECRET, loadSignalConfig } from '../signal-config';
import { loadWithDevCredentials, publicKeyPem } from '../config-testing';
import { parseDemo } from './demo.section';

describe(parseDemo.name, () => {
  const PUBLIC_KEY = publicKeyPem().escaped;
  const PRODUCTION = {
    NODE_ENV: 'production',
    SIGNAL_JWT_SECRET: 'a-long-enough-secret',
    SIGNAL_API_KEYS: 'key-one-0123456789',
  };

  it('should be off by default', () => {
    expect(loadWithDevCredentials({}).demo).toEqual({ enabled: false });
  });

  it('should sign with the current HS256 secret, issuer and audience the app verifies', () => {
    expect(loadWithDevCredentials({ DEMO_ENABLED: 'true' }).demo).toEqual({
      enabled: true,
      jwtSecret: DEVELOPMENT_JWT_SECRET,
      issuer: null,
      audience: null,
      mailCatcherUrl: 'http://127.0.0.1:1080',
    });
    expect(
      loadWithDevCredentials({
        DEMO_ENABLED: 'true',
        SIGNAL_JWT_SECRET: 'a-long-enough-secret',
        SIGNAL_JWT_PREVIOUS_SECRET: 'the-old-secret-0123456789',
        SIGNAL_JWT_ISSUER: 'https://auth.example',
        SIGNAL_JWT_AUDIENCE: 'signal',
      }).demo,
    ).toEqual({
      enabled: true,
      jwtSecret: 'a-long-enough-secret',
      issuer: 'https://auth.example',
      audience: 'signal',
      mailCatcherUrl: 'http://127.0.0.1:1080',
    });
  });

  it('should link the mail catcher given, or none', () => {
    const mailCatcherUrl = (env: NodeJS.ProcessEnv) => {
      const { demo } = loadWithDevCredentials({ DEMO_ENABLED: 'true', ...env });
      return demo.enabled ? demo.mailCatcherUrl : 'demo off';
    };

    expect(mailCatcherUrl({ DEMO_MAIL_CATCHER_URL: 'https://mail.example/inbox' })).toBe(
      'https://mail.example/inbox',
    );
    expect(mailCatcherUrl({ DEMO_MAIL_CATCHER_URL: 'none' })).toBeNull();
    expect(mailCatcherUrl({ DEMO_MAIL_CATCHER_URL: '' })).toBe('http://127.0.0.1:1080');
  });

  it('should link no local mail catcher in production unless given one', () => {
    const demo = (env: NodeJS.ProcessEnv) =>
      loadSignalConfig({
        ...PRODUCTION,
        DEMO_ENABLED: 'true',
        DEMO_ALLOW_IN_PRODUCTION: 'true',
        ...env,
      }).demo;

    expect(demo({})).toMatchObject({ mailCatcherUrl: null });
    expect(demo({ DEMO_MAIL_CATCHER_URL: 'https://mail.example' })).toMatchObject({
      mailCatcherUrl: 'https://mail.example',
    });
  });

  it('should refuse it in production unless explicitly allowed', () => {
    expect(() => loadSignalConfig({ ...PRODUCTION, DEMO_ENABLED: 'true' })).toThrow(
      /- DEMO_ENABLED: refused in production[^\n]*DEMO_ALLOW_IN_PRODUCTION=true/,
    );
    expect(
      loadSignalConfig({ ...PRODUCTION, DEMO_ENABLED: 'true', DEMO_ALLOW_IN_PRODUCTION: 'true' })
        .demo.enabled,
    ).toBe(true);
  });

  it('should refuse it when user tokens are verified with an RS256 public key', () => {
    expect(() =>
      loadWithDevCredentials({ DEMO_ENABLED: 'true', SIGNAL_JWT_PUBLIC_KEY: PUBLIC_KEY }),
    ).toThrow(/- DEMO_ENABLED: needs SIGNAL_JWT_SECRET \(HS256\)/);
    expect(loadWithDevCredentials({ SIGNAL_JWT_PUBLIC_KEY: PUBLIC_KEY }).demo.enabled).toBe(false);
  });

  it('should be judged, when enabled, only once the sections it depends on are sound', () => {
    const dependenciesBad = { nodeEnv: undefined, auth: undefined };

    expect(parseDemo({ DEMO_ENABLED: 'true' }, dependenciesBad)).toEqual({
      ok: false,
      problems: [],
    });
    expect(parseDemo({}, dependenciesBad)).toMatchObject({ ok: true, value: { enabled: false } });
  });
});
