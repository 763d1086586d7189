import { createHash, timingSafeEqual } from 'node:crypto';
import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { SignalConfig } from '../config/signal-config';
import { SignalErrorCode, SignalException } from '../common/signal.exception';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Service-to-service routes: header `x-api-key`, one of `SIGNAL_API_KEYS`. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly keyDigests: Buffer[];

  constructor(config: SignalConfig) {
    this.keyDigests = config.auth.apiKeys.map(digest);
  }

  canActivate(context: ExecutionContext): boolean {
    const presented = context.switchToHttp().getRequest<FastifyRequest>().headers['x-api-key'];
    // Node joins repeated headers into one string; only set-cookie is ever an array.
    if (typeof presented !== 'string' || presented === '') {
      throw new SignalException(SignalErrorCode.API_KEY_MISSING, 'header x-api-key is missing');
    }
    // Equal-length digests compared in constant time: the key's length and content do not leak.
    const candidate = digest(presented);
    if (!this.keyDigests.some((known) => timingSafeEqual(known, candidate))) {
      throw new SignalException(SignalErrorCode.API_KEY_UNKNOWN, 'x-api-key is not a known key');
    }
    return true;
  }
}
