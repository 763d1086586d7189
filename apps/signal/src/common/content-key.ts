import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted (by UTF-16 code unit, as RFC 8785 does) and no whitespace, so
 * one value serializes one way however it was written.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * `sha256:<64 hex>`: a dedup key of fixed length for `text`. SHA-256 because two different
 * texts never share it in practice (no collision has ever been found; chance ~2^-128 per pair).
 */
export function sha256Key(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/** The dedup key of a JSON value that carries no id of its own: the same value, however serialized, gets the same key. */
export function contentKey(value: unknown): string {
  return sha256Key(canonicalJson(value));
}
