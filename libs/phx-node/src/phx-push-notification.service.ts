import { randomUUID } from 'node:crypto';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { Injectable, Logger, LoggerService, OnModuleDestroy } from '@nestjs/common';
import axios, { AxiosError, AxiosInstance } from 'axios';
import axiosRetry, { exponentialDelay, isNetworkError } from 'axios-retry';
import {
  PhxPushErrorCode,
  PhxPushException,
  PhxPushHttpException,
  PhxPushValidationException,
} from './errors/phx-push.exception';
import { PhxPushModuleOptions } from './phx-push-module-options.interface';
import { InjectPhxPushOptions } from './phx-push.module-definition';
import { PhxPushPayload } from './types/push-inapp-noti.interface';
import { PhxSendOptions, PhxSendResult } from './types/phx-send-result.interface';
import {
  PUSH_INAPP_NOTI_LIMITS,
  validatePushInappNoti,
} from './validation/push-inapp-noti.validator';
import { describeValue, PhxViolation } from './validation/violation-checker';

const EMIT_PATH = '/emit/inapp-noti';
const DEFAULT_TIMEOUT_MS = 5000;
const DEFAULT_RETRIES = 3;
// Printable ASCII without spaces: anything else is not a valid HTTP header value.
const HEADER_TOKEN = /^[\x21-\x7e]+$/;
// The longest key the Producer accepts.
const IDEMPOTENCY_KEY_MAX = 255;
const HTTP_BASE_URL = /^https?:\/\/[^\s/?#]+[^\s?#]*$/i;
// What Signal accepts as a correlation id (it replaces anything else with its own).
const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Sends notifications to the Signal Producer (`POST {producerUrl}/emit/inapp-noti`). It only
 * delivers the payload: whether and through which channels it reaches the user is the
 * Producer's decision, by `action_code`.
 */
@Injectable()
export class PHXPushNotificationService implements OnModuleDestroy {
  private readonly http: AxiosInstance;
  private readonly httpAgent = new HttpAgent({ keepAlive: true });
  private readonly httpsAgent = new HttpsAgent({ keepAlive: true });
  private readonly logger: LoggerService;
  private readonly hostname: string | undefined;
  private readonly emitUrl: string;

  constructor(@InjectPhxPushOptions() options: PhxPushModuleOptions) {
    assertOptions(options);
    const { producerUrl, timeoutMs = DEFAULT_TIMEOUT_MS, retries = DEFAULT_RETRIES } = options;
    // No context of its own: the context goes with each call, as any LoggerService expects it,
    // and a Logger with a context would print that argument as a second message.
    this.logger = options.logger ?? new Logger();
    this.hostname = options.hostname;
    this.emitUrl = `${producerUrl.replace(/\/+$/, '')}${EMIT_PATH}`;
    this.http = axios.create({
      timeout: timeoutMs,
      headers: options.apiKey === undefined ? {} : { 'x-api-key': options.apiKey },
      httpAgent: this.httpAgent,
      httpsAgent: this.httpsAgent,
      // A redirected POST would silently turn into a GET.
      maxRedirects: 0,
      // Timeouts as ETIMEDOUT, so they are told apart from cancellations (ECONNABORTED).
      transitional: { clarifyTimeoutError: true },
    });
    axiosRetry(this.http, {
      retries,
      // POST is safe to retry: every attempt carries the same idempotency key.
      retryCondition: isTransient,
      retryDelay: exponentialDelay,
      shouldResetTimeout: true,
      onRetry: (retryCount, error) => {
        this.logger.warn(
          `${EMIT_PATH} attempt ${retryCount} failed (${describeFailure(error)}); retry ${retryCount} of ${retries}`,
          PHXPushNotificationService.name,
        );
      },
    });
  }

  /**
   * Validates `payload` (filling `hostname` from the module options when it has none), then
   * POSTs it to the Producer and returns the Producer's answer. Network errors, timeouts and
   * 5xx are retried with the same idempotency key.
   *
   * @throws {PhxPushValidationException} `INVALID_PAYLOAD`, listing every violation; no request is made.
   * @throws {PhxPushHttpException} `UNAUTHORIZED`, `REJECTED` or `PRODUCER_UNAVAILABLE`, with status and Producer message.
   */
  async send(payload: PhxPushPayload, options: PhxSendOptions = {}): Promise<PhxSendResult> {
    // JavaScript callers can pass anything; the validator reports a non-object as such.
    const body: unknown =
      isRecord(payload) && payload.hostname === undefined && this.hostname !== undefined
        ? { ...payload, hostname: this.hostname }
        : payload;
    const violations = validatePushInappNoti(body);
    const { idempotencyKey = randomUUID() } = options;
    if (
      typeof idempotencyKey !== 'string' ||
      !HEADER_TOKEN.test(idempotencyKey) ||
      idempotencyKey.length > IDEMPOTENCY_KEY_MAX
    ) {
      violations.push({
        field: 'options.idempotencyKey',
        message: `must be 1-${IDEMPOTENCY_KEY_MAX} printable ASCII characters without spaces`,
      });
    }
    const { correlationId } = options;
    if (
      correlationId !== undefined &&
      (typeof correlationId !== 'string' || !CORRELATION_ID.test(correlationId))
    ) {
      violations.push({
        field: 'options.correlationId',
        message: 'must be 1-128 letters, digits, ".", "_", ":" or "-"',
      });
    }
    if (violations.length > 0) throw new PhxPushValidationException(violations);

    try {
      const response = await this.http.post<unknown>(this.emitUrl, body, {
        headers: {
          'idempotency-key': idempotencyKey,
          ...(correlationId === undefined ? {} : { 'x-correlation-id': correlationId }),
        },
      });
      return toSendResult(response.status, response.data);
    } catch (error) {
      throw axios.isAxiosError(error) ? toPhxPushException(error) : error;
    }
  }

  onModuleDestroy(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}

/** Throws one error naming every bad option, so a misconfiguration is fixed in one go. */
function assertOptions(options: unknown): void {
  if (!isRecord(options)) {
    throw new Error(`PhxPushModule: options must be an object, got ${describeValue(options)}`);
  }
  const { producerUrl, hostname, apiKey, timeoutMs, retries, logger } = options;
  const problems: string[] = [];
  if (typeof producerUrl !== 'string' || !HTTP_BASE_URL.test(producerUrl)) {
    problems.push(
      `producerUrl must be an http(s) base URL such as "http://signal:3000", got ${describeValue(producerUrl)}`,
    );
  }
  if (
    hostname !== undefined &&
    (typeof hostname !== 'string' ||
      hostname.trim() === '' ||
      hostname.length > PUSH_INAPP_NOTI_LIMITS.hostname)
  ) {
    problems.push(
      `hostname must be a non-empty string of at most ${PUSH_INAPP_NOTI_LIMITS.hostname} characters, got ${describeValue(hostname)}`,
    );
  }
  // Not echoed: it is a secret.
  if (apiKey !== undefined && (typeof apiKey !== 'string' || !HEADER_TOKEN.test(apiKey))) {
    problems.push('apiKey must be a non-empty string of printable ASCII without spaces');
  }
  if (
    timeoutMs !== undefined &&
    (typeof timeoutMs !== 'number' || !Number.isSafeInteger(timeoutMs) || timeoutMs <= 0)
  ) {
    problems.push(`timeoutMs must be a positive integer, got ${describeValue(timeoutMs)}`);
  }
  if (
    retries !== undefined &&
    (typeof retries !== 'number' || !Number.isSafeInteger(retries) || retries < 0)
  ) {
    problems.push(`retries must be a non-negative integer, got ${describeValue(retries)}`);
  }
  if (logger !== undefined && !(isRecord(logger) && typeof logger.warn === 'function')) {
    problems.push('logger must be a Nest LoggerService (an object with a warn method)');
  }
  if (problems.length > 0) throw new Error(`PhxPushModule: ${problems.join('; ')}`);
}

function isTransient(error: AxiosError): boolean {
  if (error.response) return error.response.status >= 500;
  return error.code === AxiosError.ETIMEDOUT || isNetworkError(error);
}

function describeFailure(error: AxiosError): string {
  return error.response ? `HTTP ${error.response.status}` : (error.code ?? error.message);
}

function toSendResult(status: number, data: unknown): PhxSendResult {
  if (isRecord(data) && typeof data.status === 'string' && typeof data.message === 'string') {
    return {
      status: data.status,
      message: data.message,
      ...(typeof data.id === 'string' ? { id: data.id } : {}),
    };
  }
  throw new PhxPushHttpException(
    PhxPushErrorCode.PRODUCER_UNAVAILABLE,
    status,
    '',
    data,
    `the Producer answered ${status} without { status, message }: is producerUrl a Signal Producer?`,
  );
}

// The AxiosError is not kept as `cause`: its config carries the x-api-key header.
function toPhxPushException(error: AxiosError): PhxPushException {
  const attempts = (error.config?.['axios-retry']?.retryCount ?? 0) + 1;
  const response = error.response;
  if (!response) {
    return new PhxPushHttpException(
      PhxPushErrorCode.PRODUCER_UNAVAILABLE,
      null,
      '',
      undefined,
      `the Producer could not be reached after ${attempts} attempt(s): ${error.code ?? error.message}`,
    );
  }

  const { status, data } = response;
  const violations = isRecord(data) ? toViolations(data.violations) : null;
  if (status === 400 && violations) return new PhxPushValidationException(violations, 'producer');

  const producerMessage = messageOf(data);
  const code =
    status === 401 || status === 403
      ? PhxPushErrorCode.UNAUTHORIZED
      : status >= 500
        ? PhxPushErrorCode.PRODUCER_UNAVAILABLE
        : PhxPushErrorCode.REJECTED;
  const after =
    code === PhxPushErrorCode.PRODUCER_UNAVAILABLE ? ` after ${attempts} attempt(s)` : '';
  return new PhxPushHttpException(
    code,
    status,
    producerMessage,
    data,
    `the Producer answered ${status}${after}${producerMessage ? `: ${producerMessage}` : ''}`,
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toViolations(value: unknown): PhxViolation[] | null {
  if (!Array.isArray(value) || value.length === 0) return null;
  const violations = value.filter(
    (item): item is PhxViolation =>
      isRecord(item) && typeof item.field === 'string' && typeof item.message === 'string',
  );
  return violations.length === value.length
    ? violations.map(({ field, message }) => ({ field, message }))
    : null;
}

function messageOf(data: unknown): string {
  if (isRecord(data)) {
    const { message } = data;
    if (typeof message === 'string') return message;
    if (Array.isArray(message)) return message.filter((m) => typeof m === 'string').join('; ');
    return '';
  }
  // Non-JSON answers (a proxy's HTML error page): keep the start, enough to recognise it.
  return typeof data === 'string' ? data.trim().slice(0, 200) : '';
}
