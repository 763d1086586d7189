import { JwtService } from '@nestjs/jwt';

export const TEST_JWT_SECRET = 'integration-test-jwt-secret-0123456789';
export const TEST_API_KEY = 'integration-test-api-key-0123456789';

const jwt = new JwtService({});

export interface TestClaims {
  sub: string;
  organizerId?: string;
  merchantIds?: string[];
}

export function userToken(
  claims: TestClaims,
  options: { expiresIn?: number; secret?: string } = {},
) {
  return jwt.sign(claims, {
    secret: options.secret ?? TEST_JWT_SECRET,
    algorithm: 'HS256',
    expiresIn: options.expiresIn ?? 600,
  });
}
