import { JwtService } from '@nestjs/jwt';
import { Test } from '@nestjs/testing';
import { UserTokenVerifier } from '../auth/user-token.verifier';
import { loadSignalConfig } from '../config/signal-config';
import { DEMO_TOKEN_TTL_SECONDS, DemoModule } from './demo.module';
import { DemoTokenService } from './demo-token.service';

const SECRET = 'demo-unit-test-secret-0123456789';

describe(DemoTokenService.name, () => {
  let sut: DemoTokenService;
  const verifier = new UserTokenVerifier(
    loadSignalConfig({ SIGNAL_JWT_SECRET: SECRET, SIGNAL_DEV_CREDENTIALS: 'true' }),
  );

  beforeAll(async () => {
    const module = await Test.createTestingModule({
      imports: [
        DemoModule.register({
          jwtSecret: SECRET,
          issuer: null,
          audience: null,
          mailCatcherUrl: null,
        }),
      ],
    }).compile();
    sut = module.get(DemoTokenService);
  });

  it('should mint a token the app verifies, with every claim asked for', () => {
    const { token } = sut.mint({ sub: 'u-1', organizerId: 'org-1', merchantIds: ['m-1', 'm-2'] });

    expect(verifier.verify(token)).toEqual({
      userId: 'u-1',
      organizerId: 'org-1',
      merchantIds: ['m-1', 'm-2'],
    });
  });

  it('should leave out the organizer and merchants when not asked for', () => {
    const { token } = sut.mint({ sub: 'u-2' });

    expect(verifier.verify(token)).toEqual({ userId: 'u-2', organizerId: null, merchantIds: [] });
    expect(new JwtService({}).decode<Record<string, unknown>>(token)).not.toHaveProperty(
      'organizerId',
    );
  });

  it('should expire after the demo lifetime and say when', () => {
    const { token, expiresAt } = sut.mint({ sub: 'u-3' });
    const { iat, exp } = new JwtService({}).decode<{ iat: number; exp: number }>(token);

    expect(exp - iat).toBe(DEMO_TOKEN_TTL_SECONDS);
    expect(expiresAt).toBe(new Date(exp * 1000).toISOString());
  });

  it('should mint tokens that pass the issuer and audience the app checks', async () => {
    const config = loadSignalConfig({
      SIGNAL_JWT_SECRET: SECRET,
      SIGNAL_JWT_ISSUER: 'https://auth.example',
      SIGNAL_JWT_AUDIENCE: 'signal',
      SIGNAL_DEV_CREDENTIALS: 'true',
      DEMO_ENABLED: 'true',
    });
    if (!config.demo.enabled) throw new Error('the demo is enabled in this config');
    const module = await Test.createTestingModule({
      imports: [DemoModule.register(config.demo)],
    }).compile();
    const { token } = module.get(DemoTokenService).mint({ sub: 'u-5' });

    expect(new UserTokenVerifier(config).verify(token).userId).toBe('u-5');
    expect(new JwtService({}).decode<Record<string, unknown>>(token)).toMatchObject({
      iss: 'https://auth.example',
      aud: 'signal',
    });
  });

  it('should sign with the configured secret only', () => {
    const { token } = sut.mint({ sub: 'u-4' });
    const other = new UserTokenVerifier(
      loadSignalConfig({
        SIGNAL_JWT_SECRET: 'another-secret-0123456789',
        SIGNAL_DEV_CREDENTIALS: 'true',
      }),
    );

    expect(() => other.verify(token)).toThrow(/invalid signature/);
  });
});
