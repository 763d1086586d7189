import { createPublicKey, createSecretKey, KeyObject } from 'node:crypto';
import { RECIPIENT_ID_PATTERN } from '@signal/core';
import { Injectable } from '@nestjs/common';
import { JsonWebTokenError, NotBeforeError, TokenExpiredError } from '@nestjs/jwt';
import { verify } from 'jsonwebtoken';
import { SignalConfig } from '../config/signal-config';
import { SignalErrorCode, SignalException } from '../common/signal.exception';
import { UserPrincipal } from './user-principal';
import { errorMessage } from '../common/error-message';

function asId(value: unknown): string | null {
  const id = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  return typeof id === 'string' && RECIPIENT_ID_PATTERN.test(id) ? id : null;
}

/** A verified user token: who it speaks for, and until when. */
export interface VerifiedUserToken {
  principal: UserPrincipal;
  /** From the `exp` claim, which every token must carry. */
  expiresAt: Date;
}

/**
 * Verifies user JWTs (HS256 secret or RS256 public key, plus the previous one while a rotation
 * lasts), checks the configured issuer and audience, and reads Signal's claims.
 */
@Injectable()
export class UserTokenVerifier {
  /**
   * Key objects made once: given a string, jsonwebtoken first tries it as a PEM public key and
   * catches the error, on every call (about 60 µs of each verification).
   */
  private readonly keys: KeyObject[];

  constructor(private readonly config: SignalConfig) {
    const { algorithm, keys } = config.auth.jwt;
    this.keys = keys.map((key) =>
      algorithm === 'HS256' ? createSecretKey(Buffer.from(key)) : createPublicKey(key),
    );
  }

  verify(token: string | undefined | null): UserPrincipal {
    return this.verifyWithExpiry(token).principal;
  }

  verifyWithExpiry(token: string | undefined | null): VerifiedUserToken {
    if (!token) throw new SignalException(SignalErrorCode.TOKEN_MISSING, 'token missing');
    const claims = this.verifySignature(token);
    // jsonwebtoken checks `exp` only when present: a token without it would be valid forever.
    if (typeof claims.exp !== 'number') {
      throw new SignalException(SignalErrorCode.TOKEN_CLAIMS_INVALID, 'token has no exp claim');
    }
    this.checkIssuerAndAudience(claims);
    return { principal: principalOf(claims), expiresAt: new Date(claims.exp * 1000) };
  }

  private verifySignature(token: string): Record<string, unknown> {
    const { algorithm } = this.config.auth.jwt;
    let firstMismatch: unknown;
    for (const key of this.keys) {
      try {
        const claims = verify(token, key, { algorithms: [algorithm] });
        // A JWT whose payload is a string, not claims: no sub, so no user.
        return typeof claims === 'string' ? {} : claims;
      } catch (error) {
        // jsonwebtoken checks the signature before exp and nbf: any other error is about a token
        // this key signed (an expired one stays TOKEN_EXPIRED), or about any key alike.
        if (!isSignatureMismatch(error)) throw toTokenException(error);
        firstMismatch ??= error;
      }
    }
    throw toTokenException(firstMismatch);
  }

  private checkIssuerAndAudience(claims: Record<string, unknown>): void {
    const { issuer, audience } = this.config.auth.jwt;
    if (issuer !== null && claims.iss !== issuer) {
      throw new SignalException(
        SignalErrorCode.TOKEN_CLAIMS_INVALID,
        `token claim "iss" must be "${issuer}"`,
      );
    }
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (audience !== null && !audiences.includes(audience)) {
      throw new SignalException(
        SignalErrorCode.TOKEN_CLAIMS_INVALID,
        `token claim "aud" must be (or include) "${audience}"`,
      );
    }
  }
}

function isSignatureMismatch(error: unknown): boolean {
  return error instanceof JsonWebTokenError && error.message === 'invalid signature';
}

function principalOf(claims: Record<string, unknown>): UserPrincipal {
  const userId = asId(claims.sub);
  if (!userId) {
    throw new SignalException(
      SignalErrorCode.TOKEN_CLAIMS_INVALID,
      'token claim "sub" must be a user id (1-128 characters, no spaces or "/")',
    );
  }
  const organizerId = claims.organizerId === undefined ? null : asId(claims.organizerId);
  if (claims.organizerId !== undefined && !organizerId) {
    throw new SignalException(
      SignalErrorCode.TOKEN_CLAIMS_INVALID,
      'token claim "organizerId" must be an id (1-128 characters, no spaces or "/")',
    );
  }
  const rawMerchants = claims.merchantIds ?? [];
  const merchantIds = Array.isArray(rawMerchants) ? rawMerchants.map(asId) : [null];
  if (merchantIds.some((id) => id === null)) {
    throw new SignalException(
      SignalErrorCode.TOKEN_CLAIMS_INVALID,
      'token claim "merchantIds" must be an array of ids (1-128 characters, no spaces or "/")',
    );
  }
  return { userId, organizerId, merchantIds: merchantIds as string[] };
}

function toTokenException(error: unknown): SignalException {
  if (error instanceof TokenExpiredError) {
    return new SignalException(
      SignalErrorCode.TOKEN_EXPIRED,
      `token expired at ${error.expiredAt.toISOString()}`,
    );
  }
  if (error instanceof NotBeforeError) {
    return new SignalException(
      SignalErrorCode.TOKEN_NOT_YET_VALID,
      `token not valid before ${error.date.toISOString()}`,
    );
  }
  if (
    error instanceof JsonWebTokenError &&
    /malformed|jwt must be|invalid token/.test(error.message)
  ) {
    return new SignalException(
      SignalErrorCode.TOKEN_MALFORMED,
      `token malformed: ${error.message}`,
    );
  }
  const reason = errorMessage(error);
  return new SignalException(SignalErrorCode.TOKEN_INVALID, `token rejected: ${reason}`);
}
