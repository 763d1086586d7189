import { createHmac } from 'node:crypto';
import { PushProviderSettings } from '../../config/signal-config';
import { ChannelHttpClient, httpFailure } from './channel-http';
import {
  failEveryToken,
  PushMessage,
  PushProvider,
  pushReport,
  PushSendReport,
  PushTokenOutcome,
} from './push-provider';

export type WebhookSettings = Extract<PushProviderSettings, { kind: 'webhook' }>;

/** The JSON body Signal POSTs to the webhook. */
export interface WebhookPushRequest {
  notificationId: string;
  app: string;
  moduleCode: string;
  title: string;
  body: string;
  /** The notification's payload flattened to strings, as FCM and APNs data require (`flattenPushData`). */
  data: Record<string, string>;
  tokens: string[];
}

/** One entry of the webhook's answer. */
export interface WebhookPushResult {
  token: string;
  status: 'sent' | 'dead' | 'failed';
  reason?: string;
  /** For `failed`: whether the same request may succeed later. Default false. */
  transient?: boolean;
}

const STATUSES: readonly string[] = [
  'sent',
  'dead',
  'failed',
] satisfies WebhookPushResult['status'][];

/**
 * Hands push notifications to a gateway of your own over HTTP.
 *
 * Contract of the webhook (`PUSH_WEBHOOK_URL`):
 * - Request: `POST {url}` with `content-type: application/json` and the body
 *   {@link WebhookPushRequest}, one request per notification holding every device token.
 *   Header `idempotency-key: {notificationId}`: a retry of the same notification carries the same
 *   key. When `PUSH_WEBHOOK_SECRET` is set, header `x-signal-signature: sha256=<hex>` is the
 *   HMAC-SHA256 of the raw request body under that secret.
 * - Answer 2xx with `{ "results": [{ token, status: "sent" | "dead" | "failed", reason?, transient? }] }`:
 *   one result per token. `dead` means the device token will never work again (Signal
 *   deactivates it); `failed` is permanent unless `transient: true`. A token without a result is
 *   a permanent failure. A 2xx without `results` means every token was sent.
 * - Answer 429 or 5xx, or no answer within `PUSH_TIMEOUT_MS`: every token failed, transient
 *   (Signal retries). Any other answer: every token failed, permanent.
 */
export class WebhookPushProvider implements PushProvider {
  readonly name = 'webhook';
  private readonly http: ChannelHttpClient;

  constructor(
    private readonly settings: WebhookSettings,
    timeoutMs: number,
  ) {
    this.http = new ChannelHttpClient(timeoutMs);
  }

  async send(message: PushMessage, tokens: string[]): Promise<PushSendReport> {
    const unique = [...new Set(tokens)];
    if (unique.length === 0) return pushReport([]);
    const request: WebhookPushRequest = {
      notificationId: message.notificationId,
      app: message.app,
      moduleCode: message.moduleCode,
      title: message.title,
      body: message.body,
      data: message.data,
      tokens: unique,
    };
    // Sent as a string so the signed bytes are exactly the bytes on the wire.
    const raw = JSON.stringify(request);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'idempotency-key': message.notificationId,
    };
    if (this.settings.secret !== null) {
      headers['x-signal-signature'] = webhookSignature(this.settings.secret, raw);
    }
    let answer: unknown;
    try {
      ({ data: answer } = await this.http.axios.post<unknown>(this.settings.url, raw, { headers }));
    } catch (error) {
      const failure = httpFailure(error);
      return failEveryToken(unique, { ...failure, reason: `webhook ${failure.reason}` });
    }
    return readAnswer(answer, unique);
  }

  close(): Promise<void> {
    this.http.close();
    return Promise.resolve();
  }
}

/** `sha256=<hex HMAC-SHA256 of the raw body>`, the value of `x-signal-signature`. */
function webhookSignature(secret: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

function readAnswer(answer: unknown, tokens: string[]): PushSendReport {
  const results = (answer as { results?: unknown } | null | undefined)?.results;
  if (results === undefined) {
    return pushReport(tokens.map((token) => ({ token, status: 'sent' })));
  }
  if (!Array.isArray(results)) {
    return failEveryToken(tokens, {
      reason: 'webhook answered 2xx with "results" that is not an array',
      transient: false,
    });
  }
  const byToken = new Map<string, PushTokenOutcome>();
  for (const entry of results as unknown[]) {
    const outcome = readResult(entry);
    if (outcome && tokens.includes(outcome.token)) byToken.set(outcome.token, outcome);
  }
  return pushReport(
    tokens.map(
      (token) =>
        byToken.get(token) ?? {
          token,
          status: 'failed',
          reason: 'webhook answer has no valid result for this token',
          transient: false,
        },
    ),
  );
}

/** A well-formed result, or null (its token is then reported as lacking a result). */
function readResult(entry: unknown): PushTokenOutcome | null {
  const { token, status, reason, transient } = (entry ?? {}) as Record<string, unknown>;
  if (typeof token !== 'string' || typeof status !== 'string' || !STATUSES.includes(status)) {
    return null;
  }
  if (status === 'sent') return { token, status };
  const why = typeof reason === 'string' && reason ? `webhook: ${reason}` : `webhook: ${status}`;
  if (status === 'dead') return { token, status, reason: why };
  return { token, status: 'failed', reason: why, transient: transient === true };
}
