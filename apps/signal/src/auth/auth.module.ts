import { Global, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { ApiKeyGuard } from './api-key.guard';
import { UserJwtGuard } from './user-jwt.guard';
import { UserTokenVerifier } from './user-token.verifier';

/** Who is calling: users by JWT, services by API key. */
@Global()
@Module({
  imports: [JwtModule.register({})],
  providers: [UserTokenVerifier, UserJwtGuard, ApiKeyGuard],
  exports: [UserTokenVerifier, UserJwtGuard, ApiKeyGuard],
})
export class AuthModule {}
