import { ValidateBy, ValidationOptions } from 'class-validator';

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;
// Browsers drop tabs and newlines inside URLs and read "\" as "/": "java\tscript:" and "/\host"
// would pass a check made on the raw text.
const WHITESPACE_CONTROL_OR_BACKSLASH = /[\s\p{Cc}\\]/u;

/**
 * Whether a link may go to apps and browsers as it is: an absolute http(s) URL, or a relative
 * reference (`/announcements/1`, `tasks/7`, `?tab=fees`). Anything else — `javascript:`,
 * `data:`, `vbscript:`, app intents, a protocol-relative `//host` — could run script or leave
 * for a host the publisher did not name.
 */
export function isSafeLink(value: string): boolean {
  if (value === '' || WHITESPACE_CONTROL_OR_BACKSLASH.test(value)) return false;
  const scheme = SCHEME.exec(value)?.[1].toLowerCase();
  if (scheme === undefined) return !value.startsWith('//');
  if (scheme !== 'http' && scheme !== 'https') return false;
  // "https:host" without "//" is a relative reference to some browsers and a host to others.
  if (!/^https?:\/\//i.test(value)) return false;
  try {
    return new URL(value).hostname !== '';
  } catch {
    return false;
  }
}

export const SAFE_LINK_RULE = 'an http(s) URL or a relative path';

/** The property must pass {@link isSafeLink}. */
export function IsSafeLink(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isSafeLink',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isSafeLink(value),
        defaultMessage: (args) => `${args?.property ?? 'value'} must be ${SAFE_LINK_RULE}`,
      },
    },
    options,
  );
}
