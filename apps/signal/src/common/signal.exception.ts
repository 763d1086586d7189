/** What went wrong, independent of the transport that reports it. */
export enum SignalErrorCode {
  TOKEN_MISSING = 'TOKEN_MISSING',
  TOKEN_MALFORMED = 'TOKEN_MALFORMED',
  TOKEN_INVALID = 'TOKEN_INVALID',
  TOKEN_EXPIRED = 'TOKEN_EXPIRED',
  TOKEN_NOT_YET_VALID = 'TOKEN_NOT_YET_VALID',
  TOKEN_CLAIMS_INVALID = 'TOKEN_CLAIMS_INVALID',
  API_KEY_MISSING = 'API_KEY_MISSING',
  API_KEY_UNKNOWN = 'API_KEY_UNKNOWN',
  /** A known key without the scope the route needs. */
  API_KEY_SCOPE = 'API_KEY_SCOPE',
  INVALID_INPUT = 'INVALID_INPUT',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  NOT_FOUND = 'NOT_FOUND',
  /** Redis, through which emits reach every instance, is unreachable: retry later. */
  REDIS_UNAVAILABLE = 'REDIS_UNAVAILABLE',
  /** This instance is at its Socket.IO connection cap: retry later (or elsewhere). */
  SERVER_BUSY = 'SERVER_BUSY',
}

export class SignalException extends Error {
  constructor(
    readonly code: SignalErrorCode,
    message: string,
  ) {
    super(message);
    this.name = SignalException.name;
  }
}
