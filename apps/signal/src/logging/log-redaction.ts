import { truncateText } from '../common/text-excerpt';

/**
 * What never reaches the logs. Secrets are removed by pino's `redact` at known paths (headers of
 * the logged request, token-like fields of logged objects). E-mail addresses can be anywhere (a
 * `sendEmailV3.to`, an SMTP reply quoting the recipient, a user id), so every message and every
 * plain object or error passed to the logger is searched for them: see `maskEmails`. Callers
 * choose much of what is logged (URLs, rejected messages' fields), so every string is cut to
 * `MAX_LOGGED_TEXT` first and the search is a single linear scan.
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

/** Characters of one logged string (a message, a field, a stack) beyond which it is cut. */
export const MAX_LOGGED_TEXT = 8192;
// Deep enough for any log payload; beyond it values are left as they are (pino serializes them).
const MAX_DEPTH = 8;

/** The characters a string is read through; a string is one, a test can count the reads. */
export type CharSource = Pick<string, 'length' | 'charCodeAt'>;

const AT = 0x40;
const DOT = 0x2e;
const isLetter = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
// `[A-Za-z0-9-]`: a character of a domain label.
const isLabelChar = (c: number) => isLetter(c) || isDigit(c) || c === 0x2d;
// `[\w.%+-]`: a character of a local part.
const isLocalChar = (c: number) =>
  isLabelChar(c) || c === 0x5f || c === DOT || c === 0x25 || c === 0x2b;

/**
 * Where the domain after an "@" at `from - 1` ends, or -1 without one: dot-separated non-empty
 * labels of `[A-Za-z0-9-]`, at least two, up to the last label that starts with two letters and
 * through those letters, as `[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}` matches greedily.
 * Reads each character once.
 */
function domainEnd(text: CharSource, from: number): number {
  let end = -1;
  let position = from;
  for (let label = 0; ; label++) {
    const labelStart = position;
    let letters = 0;
    for (; position < text.length; position++) {
      const c = text.charCodeAt(position);
      if (!isLabelChar(c)) break;
      if (letters === position - labelStart && isLetter(c)) letters++;
    }
    if (position === labelStart) return end;
    if (label > 0 && letters >= 2) end = labelStart + letters;
    if (position >= text.length || text.charCodeAt(position) !== DOT) return end;
    position++;
  }
}

/**
 * The e-mail addresses in `text` as `[start, at, end)` spans, left to right, without overlap.
 * Linear: each stretch between two "@" is read at most once backwards (the local part before
 * the next "@") and once forwards (the domain after the previous one), since "@" belongs to
 * neither. A regular expression with a local part like `[\w.%+-]+@` retries every start in a
 * long run of such characters, which made a 16 KB URL cost a third of a second.
 */
export function emailSpans(text: CharSource): { start: number; at: number; end: number }[] {
  const spans: { start: number; at: number; end: number }[] = [];
  let searchedTo = 0;
  for (let at = 0; at < text.length; at++) {
    if (text.charCodeAt(at) !== AT) continue;
    let start = at;
    while (start > searchedTo && isLocalChar(text.charCodeAt(start - 1))) start--;
    const end = start < at ? domainEnd(text, at + 1) : -1;
    if (end === -1) continue;
    spans.push({ start, at, end });
    searchedTo = end;
    at = end - 1;
  }
  return spans;
}

/** `jane.doe@example.com` → `***@example.com` (the domain stays: it tells which mail system). */
export function maskEmailsInText(text: string): string {
  if (!text.includes('@')) return text;
  let masked = '';
  let copied = 0;
  for (const { start, at, end } of emailSpans(text)) {
    masked += `${text.slice(copied, start)}***${text.slice(at, end)}`;
    copied = end;
  }
  return masked + text.slice(copied);
}

/** A logged string: cut to `MAX_LOGGED_TEXT`, addresses masked. */
export function loggableText(text: string): string {
  return maskEmailsInText(truncateText(text, MAX_LOGGED_TEXT));
}

/**
 * A copy of `value` with every string cut and every e-mail address masked (`loggableText`), in
 * strings, arrays, plain objects and errors (as `{ type, message, stack }`, the shape pino prints
 * errors in). Other objects (requests, buffers, dates) are returned as they are: their
 * serializers decide what is printed.
 */
export function maskEmails(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return loggableText(value);
  if (typeof value !== 'object' || value === null || depth >= MAX_DEPTH) return value;
  if (Array.isArray(value)) return value.map((item) => maskEmails(item, depth + 1));
  if (value instanceof Error) {
    return {
      type: value.name,
      message: loggableText(value.message),
      stack: value.stack === undefined ? undefined : loggableText(value.stack),
    };
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, maskEmails(item, depth + 1)]),
  );
}
