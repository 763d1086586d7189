/**
 * What never reaches the logs. Secrets are removed by pino's `redact` at known paths (headers of
 * the logged request, token-like fields of logged objects). E-mail addresses can be anywhere (a
 * `sendEmailV3.to`, an SMTP reply quoting the recipient, a user id), so every message and every
 * plain object or error passed to the logger is searched for them: see `maskEmails`.
 */
const SECRET_FIELDS = [
  'token',
  'tokens',
  'accessToken',
  'refreshToken',
  'apiKey',
  'password',
  'secret',
];

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  ...SECRET_FIELDS.flatMap((field) => [field, `*.${field}`]),
];

export const REDACTED = '[redacted]';

// Local part, @, a dotted domain with a top-level label: what looks like an address in text.
const EMAIL = /[\w.%+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})/g;
// Deep enough for any log payload; beyond it values are left as they are (pino serializes them).
const MAX_DEPTH = 8;

/** `jane.doe@example.com` → `***@example.com` (the domain stays: it tells which mail system). */
export function maskEmailsInText(text: string): string {
  return text.includes('@') ? text.replace(EMAIL, '***@$1') : text;
}

/**
 * A copy of `value` with every e-mail address masked, in strings, arrays, plain objects and
 * errors (as `{ type, message, stack }`, the shape pino prints errors in). Other objects (requests,
 * buffers, dates) are returned as they are: their serializers decide what is printed.
 */
export function maskEmails(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskEmailsInText(value);
  if (typeof value !== 'object' || value === null || depth >= MAX_DEPTH) return value;
  if (Array.isArray(value)) return value.map((item) => maskEmails(item, depth + 1));
  if (value instanceof Error) {
    return {
      type: value.name,
      message: maskEmailsInText(value.message),
      stack: value.stack === undefined ? undefined : maskEmailsInText(value.stack),
    };
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, maskEmails(item, depth + 1)]),
  );
}
