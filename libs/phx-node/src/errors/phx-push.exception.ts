import { PhxViolation } from '../validation/violation-checker';

/** Why `PHXPushNotificationService.send` failed, independent of HTTP. */
export enum PhxPushErrorCode {
  /** The payload breaks the rules, found locally or by the Producer (400 with `violations`). */
  INVALID_PAYLOAD = 'INVALID_PAYLOAD',
  /** The Producer refused the API key (401 or 403). */
  UNAUTHORIZED = 'UNAUTHORIZED',
  /** The Producer refused the request with another status (4xx, 3xx): retrying will not help. */
  REJECTED = 'REJECTED',
  /** No usable answer after every retry: network error, timeout or 5xx. */
  PRODUCER_UNAVAILABLE = 'PRODUCER_UNAVAILABLE',
}

/** Base of every error `send` throws; switch on `code`. */
export class PhxPushException extends Error {
  constructor(
    /** What went wrong. */
    readonly code: PhxPushErrorCode,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The payload breaks the rules; `violations` lists every one of them. */
export class PhxPushValidationException extends PhxPushException {
  constructor(
    /** Every violation, in field order. */
    readonly violations: PhxViolation[],
    /** Whether the Producer found them (its rules are newer than this library's) or the library did. */
    readonly source: 'local' | 'producer' = 'local',
  ) {
    super(
      PhxPushErrorCode.INVALID_PAYLOAD,
      `${source === 'producer' ? 'the Producer refused the payload' : 'invalid PushInappNoti'}: ${violations
        .map(({ field, message }) => `${field} ${message}`)
        .join('; ')}`,
    );
  }
}

/** The Producer answered with an error status, or could not be reached. */
export class PhxPushHttpException extends PhxPushException {
  constructor(
    code: PhxPushErrorCode,
    /** HTTP status of the last answer; `null` when none came (network error, timeout). */
    readonly status: number | null,
    /** The Producer's `message` (string, or string[] joined with "; "); empty when none. */
    readonly producerMessage: string,
    /** The last answer's parsed body, if any. */
    readonly body: unknown,
    message: string,
  ) {
    super(code, message);
  }
}
