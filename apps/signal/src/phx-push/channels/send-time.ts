/**
 * How long a push or e-mail can be in flight after its channel was claimed. A claim's lease
 * (`PHX_DELIVERY_LEASE_MS`) must outlast it, or another claim would send the same channel again
 * while the first send is still on the wire.
 */

/** How long `ChannelThread.close` lets the sends in flight finish before it stops the thread. */
export const CHANNEL_THREAD_STOP_GRACE_MS = 5_000;

/** Push and e-mail chunks the PHX Consumer sends at once, each claimed before it is sent. */
export const DELIVERY_CHUNKS_IN_FLIGHT = 4;

/**
 * An FCM send is bounded by this many `PUSH_TIMEOUT_MS`: the access token and the send, both once
 * more after FCM refused the token. Requests still running then are cut.
 */
export const FCM_SEND_TIMEOUTS = 4;

// Waits of one e-mail, each up to SMTP_TIMEOUT_MS: the connection, the greeting, the transfer.
const SMTP_WAITS_PER_EMAIL = 3;

export interface SendTimeouts {
  pushProvider: string;
  pushTimeoutMs: number;
  smtpTimeoutMs: number;
}

/** The longest a claimed push or e-mail can take to send, shutdown included. */
export function longestSendMs({
  pushProvider,
  pushTimeoutMs,
  smtpTimeoutMs,
}: SendTimeouts): number {
  const push =
    pushProvider === 'fcm'
      ? FCM_SEND_TIMEOUTS * pushTimeoutMs
      : pushProvider === 'webhook'
        ? pushTimeoutMs
        : 0;
  // The SMTP pool has a connection per request of one chunk; the e-mails of every chunk in
  // flight share it, so the last one may wait for as many e-mails before it as there are chunks.
  const email = DELIVERY_CHUNKS_IN_FLIGHT * SMTP_WAITS_PER_EMAIL * smtpTimeoutMs;
  return Math.max(push, email) + CHANNEL_THREAD_STOP_GRACE_MS;
}
