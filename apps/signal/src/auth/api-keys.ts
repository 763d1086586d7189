/** What a service API key may call (SPEC §7). */
export const API_KEY_SCOPES = ['emit', 'producer', 'admin'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** One entry of SIGNAL_API_KEYS: `key` (every scope) or `key:scope+scope`. */
export interface ApiKey {
  key: string;
  scopes: readonly ApiKeyScope[];
}

const KEY = /^[^,\s:]{16,}$/;
const isScope = (name: string): name is ApiKeyScope =>
  (API_KEY_SCOPES as readonly string[]).includes(name);

/** Parses a list that `apiKeyListProblems` found sound. */
export function parseApiKeys(list: string): ApiKey[] {
  return list.split(',').map((entry) => {
    const [key, scopes] = entry.split(':');
    return {
      key,
      scopes: scopes === undefined ? API_KEY_SCOPES : scopes.split('+').filter(isScope),
    };
  });
}

/** What is wrong with each entry, by position: a key's characters never appear in a message. */
export function apiKeyListProblems(list: string): string[] {
  return list.split(',').flatMap((entry, index) => {
    const at = `SIGNAL_API_KEYS: entry ${index + 1}`;
    const [key, scopes, ...rest] = entry.split(':');
    if (!KEY.test(key) || rest.length > 0) {
      return [
        `${at} must be a key of at least 16 characters without spaces, "," or ":", optionally followed by :scope+scope`,
      ];
    }
    if (scopes === undefined) return [];
    const unknown = scopes.split('+').filter((scope) => !isScope(scope));
    if (unknown.length === 0) return [];
    // Only what looks like a mistyped scope is echoed: a key holding ":" would leak its tail.
    const named = unknown.map((scope) => (/^[a-z_-]{1,20}$/.test(scope) ? `"${scope}"` : 'one'));
    return [
      `${at} has an unknown scope ${named.join(', ')} (scopes: ${API_KEY_SCOPES.join(', ')}; none = all)`,
    ];
  });
}
