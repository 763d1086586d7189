import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DemoTokenRequestDto } from './demo-token-request.dto';

export interface DemoToken {
  token: string;
  /** ISO-8601. */
  expiresAt: string;
}

/** Mints user JWTs for the demo page, signed like the tokens the app verifies (HS256). */
@Injectable()
export class DemoTokenService {
  /** Its module's JwtService, configured with the app's HS256 secret and the demo token lifetime. */
  constructor(private readonly jwt: JwtService) {}

  mint(claims: DemoTokenRequestDto): DemoToken {
    const token = this.jwt.sign({
      sub: claims.sub,
      ...(claims.organizerId === undefined ? {} : { organizerId: claims.organizerId }),
      ...(claims.merchantIds === undefined ? {} : { merchantIds: claims.merchantIds }),
    });
    const { exp } = this.jwt.decode<{ exp: number }>(token);
    return { token, expiresAt: new Date(exp * 1000).toISOString() };
  }
}
