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
  /** This instance is at its Socket.IO connection cap: retry later (or elsewhere). */
  SERVER_BUSY = 'SERVER_BUSY',
  /** The request took longer than allowed to arrive. */
  REQUEST_TIMEOUT = 'REQUEST_TIMEOUT',
  /** A dependency (PostgreSQL, …) cannot be reached now: the same request may pass later. */
  DEPENDENCY_UNAVAILABLE = 'DEPENDENCY_UNAVAILABLE',
  /** Signal holds as much work of this kind as it allows itself: retry later. */
  OVERLOADED = 'OVERLOADED',
  /** Anything else: a bug or an unforeseen state, logged under an error id. */
  INTERNAL_ERROR = 'INTERNAL_ERROR',
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

/**
 * `DEPENDENCY_UNAVAILABLE` naming the dependency and, when it helps the caller, what cannot be
 * done without it: "redis unavailable (emits cannot reach the Signal instances), retry later".
 */
export function dependencyUnavailable(dependency: string, consequence?: string): SignalException {
  const why = consequence === undefined ? '' : ` (${consequence})`;
  return new SignalException(
    SignalErrorCode.DEPENDENCY_UNAVAILABLE,
    `${dependency} unavailable${why}, retry later`,
  );
}
