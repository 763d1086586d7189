import { PushInappNoti, validatePushInappNoti } from 'phx-node';
import { invalidInputException } from '../../common/invalid-input.exception';

/** A validated `POST /emit/inapp-noti`. */
export interface EmitRequest {
  payload: PushInappNoti;
  /** Absent: the request is new. */
  idempotencyKey: string | undefined;
}

const IDEMPOTENCY_KEY = /^[\x20-\x7e]{1,255}$/;

/**
 * Validates body and `idempotency-key` header with the rules `phx-node` applies before sending
 * (one shared implementation); the 400 lists every violation.
 */
export function parseEmitRequest(body: unknown, idempotencyKey: string | undefined): EmitRequest {
  const violations = validatePushInappNoti(body);
  if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
    violations.push({
      field: 'idempotency-key',
      message: 'must be 1-255 printable ASCII characters',
    });
  }
  if (violations.length > 0) throw invalidInputException(violations);
  return { payload: body as PushInappNoti, idempotencyKey };
}
