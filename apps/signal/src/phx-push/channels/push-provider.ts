import { PushNotiMobile } from 'phx-node';
import { ChannelFailure } from './channel-failure';

/** Injection token of the configured {@link PushProvider} (`PUSH_PROVIDER` setting). */
export const PUSH_PROVIDER = Symbol('PUSH_PROVIDER');

/** What one push notification carries, whatever the provider. */
export interface PushMessage {
  /** Stable id of the notification: the idempotency key of every attempt to deliver it. */
  notificationId: string;
  title: string;
  body: string;
  /** The payload flattened to strings, the only values push data may hold. */
  data: Record<string, string>;
  app: string;
  moduleCode: string;
}

/** Outcome per device token: tokens are independent, one bad token does not fail the others. */
export interface PushSendReport {
  sent: string[];
  /** The provider says the token will never work again: remove it. */
  dead: { token: string; reason: string }[];
  failed: ({ token: string } & ChannelFailure)[];
}

export interface PushProvider {
  /** Which provider answered, for the delivery log: `fcm`, `webhook` or `none`. */
  readonly name: string;
  /** Never rejects: every failure is reported per token. */
  send(message: PushMessage, tokens: string[]): Promise<PushSendReport>;
  /** Releases the provider's connections. */
  close(): Promise<void>;
}

export type PushTokenOutcome =
  | { token: string; status: 'sent' }
  | { token: string; status: 'dead'; reason: string }
  | ({ token: string; status: 'failed' } & ChannelFailure);

export function pushReport(outcomes: PushTokenOutcome[]): PushSendReport {
  const report: PushSendReport = { sent: [], dead: [], failed: [] };
  for (const outcome of outcomes) {
    if (outcome.status === 'sent') report.sent.push(outcome.token);
    else if (outcome.status === 'dead')
      report.dead.push({ token: outcome.token, reason: outcome.reason });
    else {
      const { token, reason, transient } = outcome;
      report.failed.push({ token, reason, transient });
    }
  }
  return report;
}

/** The same failure for every token, e.g. when the provider could not be reached at all. */
export function failEveryToken(tokens: string[], failure: ChannelFailure): PushSendReport {
  return pushReport(tokens.map((token) => ({ token, status: 'failed', ...failure })));
}

/**
 * `pushNotiMobile.payload` (any JSON value) as the map of strings push data must be (FCM HTTP v1
 * `message.data`, APNs custom keys, the webhook's `data`). An object gives one entry per key: a
 * string value as it is (apps read `data.action` as the sender wrote it), any other value as its
 * JSON. Any other payload `v` gives what the object `{ payload: v }` would: `"x"` →
 * `{ payload: 'x' }`, `[1, 2]` → `{ payload: '[1,2]' }`, `42` → `{ payload: '42' }`, `null` →
 * `{ payload: 'null' }`.
 */
export function flattenPushData(payload: unknown): Record<string, string> {
  const fields = isJsonObject(payload) ? payload : { payload };
  const data: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    data[key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return data;
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function toPushMessage(notificationId: string, push: PushNotiMobile): PushMessage {
  return {
    notificationId,
    title: push.title,
    body: push.message,
    data: flattenPushData(push.payload),
    app: push.app,
    moduleCode: push.module_code,
  };
}
