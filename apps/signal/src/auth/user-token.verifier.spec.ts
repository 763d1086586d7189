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
    jwt,
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
      jwt,
    );

    const good = jwt.sign({ sub: 'u-1' }, { privateKey, algorithm: 'RS256', expiresIn: 600 });
    expect(rs256.verify(good).userId).toBe('u-1');

    const confused = jwt.sign({ sub: 'u-1' }, { secret: pem, algorithm: 'HS256' });
    expect(() => rs256.verify(confused)).toThrow(
      expect.objectContaining({ code: SignalErrorCode.TOKEN_INVALID }),
    );
  });
});
