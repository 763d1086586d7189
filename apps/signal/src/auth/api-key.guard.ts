import { hash, timingSafeEqual } from 'node:crypto';
import {
  applyDecorators,
  CanActivate,
  ExecutionContext,
  Injectable,
  Type,
  UseGuards,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FastifyRequest } from 'fastify';
import { ApiServiceAuth } from '../common/api-docs.decorators';
import { SignalConfig } from '../config/signal-config';
import { SignalErrorCode, SignalException } from '../common/signal.exception';
import { ApiKeyScope } from './api-keys';

// One-shot: no Hash object per request.
const digest = (value: string) => hash('sha256', value, 'buffer');

const RequiredScope = Reflector.createDecorator<ApiKeyScope>();

// A controller method, as `ExecutionContext.getHandler` returns it.
type RouteHandler = ReturnType<ExecutionContext['getHandler']>;

interface KnownKey {
  digest: Buffer;
  scopes: readonly ApiKeyScope[];
}

/** A route for services: header `x-api-key`, a key of SIGNAL_API_KEYS that has `scope`. */
export const ServiceAuth = (scope: ApiKeyScope) =>
  applyDecorators(RequiredScope(scope), UseGuards(ApiKeyGuard), ApiServiceAuth(scope));

/** Service-to-service routes (`@ServiceAuth(scope)`): 401 for no or an unknown key, 403 without the scope. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly keys: KnownKey[];
  private readonly scopesByController = new WeakMap<Type, Map<RouteHandler, ApiKeyScope>>();

  constructor(
    config: SignalConfig,
    private readonly reflector: Reflector,
  ) {
    this.keys = config.auth.apiKeys.map(({ key, scopes }) => ({ digest: digest(key), scopes }));
  }

  canActivate(context: ExecutionContext): boolean {
    const scope = this.requiredScope(context.getClass(), context.getHandler());
    const presented = context.switchToHttp().getRequest<FastifyRequest>().headers['x-api-key'];
    // Node joins repeated headers into one string; only set-cookie is ever an array.
    if (typeof presented !== 'string' || presented === '') {
      throw new SignalException(SignalErrorCode.API_KEY_MISSING, 'header x-api-key is missing');
    }
    const known = this.find(presented);
    if (!known) {
      throw new SignalException(SignalErrorCode.API_KEY_UNKNOWN, 'x-api-key is not a known key');
    }
    if (!known.scopes.includes(scope)) {
      throw new SignalException(
        SignalErrorCode.API_KEY_SCOPE,
        `x-api-key lacks scope "${scope}", which this route needs`,
      );
    }
    return true;
  }

  /** The route's `@ServiceAuth` scope, read from its metadata once (the guard runs on every request). */
  private requiredScope(controller: Type, handler: RouteHandler): ApiKeyScope {
    let scopes = this.scopesByController.get(controller);
    if (scopes === undefined) {
      scopes = new Map<RouteHandler, ApiKeyScope>();
      this.scopesByController.set(controller, scopes);
    }
    let scope = scopes.get(handler);
    if (scope === undefined) {
      scope = this.reflector.getAllAndOverride(RequiredScope, [handler, controller]);
      if (scope === undefined) {
        throw new Error(`${controller.name} uses ApiKeyGuard without @ServiceAuth(scope)`);
      }
      scopes.set(handler, scope);
    }
    return scope;
  }

  /**
   * Equal-length digests compared in constant time, every one of them: neither the key's length
   * and content nor which entry matched leak through timing.
   */
  private find(presented: string): KnownKey | undefined {
    const candidate = digest(presented);
    let found: KnownKey | undefined;
    for (const known of this.keys) {
      if (timingSafeEqual(known.digest, candidate)) found ??= known;
    }
    return found;
  }
}
