import { generateKeyPairSync } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import { SignalErrorCode } from '../common/signal.exception';
import { loadSignalConfig } from '../config/signal-config';
import { UserTokenVerifier } from './user-token.verifier';

const SECRET = 'unit-test-secret-0123456789';
const jwt = new JwtService({});
const sign = (claims: object, options: { expiresIn?: number; notBefore?: number } = {}) =>
  jwt.sign(claims, { secret: SECRET, algorithm: 'HS256', expiresIn: 600, ...options });

describe(UserTokenVerifier.name, () => {
  const sut = new UserTokenVerifier(
    loadSignalConfig({ SIGNAL_JWT_SECRET: SECRET, SIGNAL_DEV_CREDENTIALS: 'true' }),
  );

  it('should read user, organizer and merchants from a valid token', () => {
    const token = sign({ sub: 'u-1', organizerId: 'org-1', merchantIds: ['m-1', 'm-2'] });
    expect(sut.verify(token)).toEqual({
      userId: 'u-1',
      organizerId: 'org-1',
      merchantIds: ['m-1', 'm-2'],
    });
  });

  it('should accept a numeric sub as a string id and no organizer or merchants', () => {
    expect(sut.verify(sign({ sub: 8652 }))).toEqual({
      userId: '8652',
      organizerId: null,
      merchantIds: [],
    });
  });

  it('should give the expiry of the token with its principal', () => {
    const token = sign({ sub: 'u-1' }, { expiresIn: 120 });
    const { exp } = jwt.decode<{ exp: number }>(token);

    expect(sut.verifyWithExpiry(token)).toEqual({
      principal: { userId: 'u-1', organizerId: null, merchantIds: [] },
      expiresAt: new Date(exp * 1000),
    });
  });

  it.each([
    ['missing', undefined, SignalErrorCode.TOKEN_MISSING, /token missing/],
    ['malformed', 'not.a.jwt', SignalErrorCode.TOKEN_MALFORMED, /token malformed/],
    [
      'forged',
      jwt.sign({ sub: 'u-1' }, { secret: 'another-secret-0123456789' }),
      SignalErrorCode.TOKEN_INVALID,
      /invalid signature/,
    ],
    [
      'expired',
      sign({ sub: 'u-1' }, { expiresIn: -10 }),
      SignalErrorCode.TOKEN_EXPIRED,
      /expired at/,
    ],
    [
      'not yet valid',
      sign({ sub: 'u-1' }, { notBefore: 3600 }),
      SignalErrorCode.TOKEN_NOT_YET_VALID,
      /not valid before/,
    ],
    [
      'without exp',
      jwt.sign({ sub: 'u-1' }, { secret: SECRET, algorithm: 'HS256' }),
      SignalErrorCode.TOKEN_CLAIMS_INVALID,
      /token has no exp claim/,
    ],
    ['without sub', sign({ organizerId: 'o' }), SignalErrorCode.TOKEN_CLAIMS_INVALID, /"sub"/],
    ['sub with a slash', sign({ sub: 'a/b' }), SignalErrorCode.TOKEN_CLAIMS_INVALID, /"sub"/],
    [
      'merchantIds not a list',
      sign({ sub: 'u', merchantIds: 'm-1' }),
      SignalErrorCode.TOKEN_CLAIMS_INVALID,
      /"merchantIds"/,
    ],
    [
      'an empty organizerId',
      sign({ sub: 'u', organizerId: '' }),
      SignalErrorCode.TOKEN_CLAIMS_INVALID,
      /"organizerId"/,
    ],
  ])('should refuse a %s token with its reason', (_, token, code, message) => {
    expect(() => sut.verify(token)).toThrow(expect.objectContaining({ code }));
    expect(() => sut.verify(token)).toThrow(message);
  });

  it('should refuse an HS256 token signed with the RS256 public key as secret (algorithm confusion)', () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const rs256 = new UserTokenVerifier(
      loadSignalConfig({
        SIGNAL_JWT_PUBLIC_KEY: pem.replace(/\n/g, '\\n'),
        SIGNAL_DEV_CREDENTIALS: 'true',
      }),
    );

    const good = jwt.sign({ sub: 'u-1' }, { privateKey, algorithm: 'RS256', expiresIn: 600 });
    expect(rs256.verify(good).userId).toBe('u-1');

    const confused = jwt.sign({ sub: 'u-1' }, { secret: pem, algorithm: 'HS256' });
    expect(() => rs256.verify(confused)).toThrow(
      expect.objectContaining({ code: SignalErrorCode.TOKEN_INVALID }),
    );
  });
});

describe(`${UserTokenVerifier.name} during a key rotation`, () => {
  const PREVIOUS = 'previous-secret-0123456789';
  const sut = new UserTokenVerifier(
    loadSignalConfig({
      SIGNAL_JWT_SECRET: SECRET,
      SIGNAL_JWT_PREVIOUS_SECRET: PREVIOUS,
      SIGNAL_DEV_CREDENTIALS: 'true',
    }),
  );
  const signWith = (secret: string, expiresIn = 600) =>
    jwt.sign({ sub: 'u-1' }, { secret, algorithm: 'HS256', expiresIn });

  it('should accept tokens signed with the current secret and with the previous one', () => {
    expect(sut.verify(signWith(SECRET)).userId).toBe('u-1');
    expect(sut.verify(signWith(PREVIOUS)).userId).toBe('u-1');
  });

  it('should refuse a token signed with neither, as without a rotation', () => {
    const token = signWith('neither-secret-0123456789');
    expect(() => sut.verify(token)).toThrow(
      expect.objectContaining({
        code: SignalErrorCode.TOKEN_INVALID,
        message: 'token rejected: invalid signature',
      }),
    );
  });

  it('should say an expired token of the previous secret expired', () => {
    const token = signWith(PREVIOUS, -10);
    expect(() => sut.verify(token)).toThrow(
      expect.objectContaining({ code: SignalErrorCode.TOKEN_EXPIRED }),
    );
  });

  it('should accept an RS256 token of the previous public key, and no HS256 token made with it', () => {
    const pem = (key: ReturnType<typeof generateKeyPairSync>['publicKey']) =>
      key.export({ type: 'spki', format: 'pem' }).toString();
    const current = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const previous = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const rs256 = new UserTokenVerifier(
      loadSignalConfig({
        SIGNAL_JWT_PUBLIC_KEY: pem(current.publicKey),
        SIGNAL_JWT_PREVIOUS_PUBLIC_KEY: pem(previous.publicKey).replace(/\n/g, '\\n'),
        SIGNAL_DEV_CREDENTIALS: 'true',
      }),
    );
    const signWithKey = (privateKey: typeof current.privateKey) =>
      jwt.sign({ sub: 'u-1' }, { privateKey, algorithm: 'RS256', expiresIn: 600 });

    expect(rs256.verify(signWithKey(current.privateKey)).userId).toBe('u-1');
    expect(rs256.verify(signWithKey(previous.privateKey)).userId).toBe('u-1');
    expect(() => rs256.verify(signWithKey(other.privateKey))).toThrow(
      'token rejected: invalid signature',
    );
    const confused = jwt.sign(
      { sub: 'u-1' },
      { secret: pem(previous.publicKey), algorithm: 'HS256' },
    );
    expect(() => rs256.verify(confused)).toThrow(
      expect.objectContaining({ code: SignalErrorCode.TOKEN_INVALID }),
    );
  });
});

describe(`${UserTokenVerifier.name} with an issuer and an audience`, () => {
  const sut = new UserTokenVerifier(
    loadSignalConfig({
      SIGNAL_JWT_SECRET: SECRET,
      SIGNAL_JWT_ISSUER: 'https://auth.example',
      SIGNAL_JWT_AUDIENCE: 'signal',
      SIGNAL_DEV_CREDENTIALS: 'true',
    }),
  );
  const withClaims = (claims: object, expiresIn = 600) =>
    jwt.sign({ sub: 'u-1', ...claims }, { secret: SECRET, algorithm: 'HS256', expiresIn });

  it('should accept a token of that issuer whose audience is, or includes, the one expected', () => {
    expect(sut.verify(withClaims({ iss: 'https://auth.example', aud: 'signal' })).userId).toBe(
      'u-1',
    );
    const aud = ['billing', 'signal'];
    expect(sut.verify(withClaims({ iss: 'https://auth.example', aud })).userId).toBe('u-1');
  });

  it.each([
    ['without iss', { aud: 'signal' }, 'token claim "iss" must be "https://auth.example"'],
    [
      'of another issuer',
      { iss: 'https://other.example', aud: 'signal' },
      'token claim "iss" must be "https://auth.example"',
    ],
    [
      'without aud',
      { iss: 'https://auth.example' },
      'token claim "aud" must be (or include) "signal"',
    ],
    [
      'for other audiences',
      { iss: 'https://auth.example', aud: ['billing', 'signals'] },
      'token claim "aud" must be (or include) "signal"',
    ],
  ])('should refuse a token %s, naming the claim', (_, claims, message) => {
    expect(() => sut.verify(withClaims(claims))).toThrow(
      expect.objectContaining({ code: SignalErrorCode.TOKEN_CLAIMS_INVALID, message }),
    );
  });

  it('should say an expired token of another issuer expired', () => {
    const token = withClaims({ iss: 'https://other.example' }, -10);
    expect(() => sut.verify(token)).toThrow(
      expect.objectContaining({ code: SignalErrorCode.TOKEN_EXPIRED }),
    );
  });
});
