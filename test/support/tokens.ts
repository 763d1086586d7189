import { JwtService } from '@nestjs/jwt';

export const TEST_JWT_SECRET = 'integration-test-jwt-secret-0123456789';
export const TEST_API_KEY = 'integration-test-api-key-0123456789';

const jwt = new JwtService({});

export interface TestClaims {
  sub: string;
  organizerId?: string;
  merchantIds?: string[];
  iss?: string;
  aud?: string | string[];
}

/** A user JWT valid for 10 minutes; `expiresIn` in seconds, `null` for a token without `exp`. */
export function userToken(
  claims: TestClaims,
  options: { expiresIn?: number | null; secret?: string } = {},
) {
  const expiresIn = options.expiresIn === undefined ? 600 : options.expiresIn;
  return jwt.sign(claims, {
    secret: options.secret ?? TEST_JWT_SECRET,
    algorithm: 'HS256',
    ...(expiresIn === null ? {} : { expiresIn }),
  });
}
