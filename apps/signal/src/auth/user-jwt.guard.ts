import { CanActivate, createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { UserPrincipal } from './user-principal';
import { UserTokenVerifier } from './user-token.verifier';

type AuthenticatedRequest = FastifyRequest & { user?: UserPrincipal };

/** HTTP routes for users: `Authorization: Bearer <jwt>`; 401 says what is wrong with the token. */
@Injectable()
export class UserJwtGuard implements CanActivate {
  constructor(private readonly verifier: UserTokenVerifier) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    request.user = this.verifier.verify(bearerToken(request.headers.authorization));
    return true;
  }
}

export function bearerToken(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}

/** The principal `UserJwtGuard` put on the request. */
export const CurrentUser = createParamDecorator(
  (_: unknown, context: ExecutionContext): UserPrincipal => {
    const user = context.switchToHttp().getRequest<AuthenticatedRequest>().user;
    if (!user) throw new Error('CurrentUser used on a route without UserJwtGuard');
    return user;
  },
);
