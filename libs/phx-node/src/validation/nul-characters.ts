import type { PhxViolation } from './violation-checker';

const NUL = '\u0000';
/** What a NUL character in a string is told with. */
export const NUL_CHARACTER_MESSAGE = 'must not contain a NUL character (\\u0000)';
// Past this many, further NUL characters are not listed: the input is refused either way.
const MAX_LISTED = 10;

interface Visited {
  value: unknown;
  /** The array or object holding it, and its key or index there; none for the input itself. */
  parent?: Visited;
  key?: string | number;
}

function fieldOf(visited: Visited, root: string): string {
  const keys: (string | number)[] = [];
  for (let step: Visited | undefined = visited; step?.key !== undefined; step = step.parent) {
    keys.push(step.key);
  }
  return keys.reduceRight<string>((path, key) => {
    if (typeof key === 'number') return `${path}[${key}]`;
    return path === '' ? key : `${path}.${key}`;
  }, root);
}

/**
 * The strings in `input` that carry a NUL character, values and object keys at any depth (at most
 * ten): PostgreSQL stores no NUL in text or jsonb. `root` names `input` itself (a path parameter's
 * name, say); fields inside it are dotted paths from there. Iterative, and paths are spelled only
 * for what is found, so a deeply nested input costs neither stack nor quadratic work.
 */
export function findNulCharacters(input: unknown, root = ''): PhxViolation[] {
  const violations: PhxViolation[] = [];
  const queue: Visited[] = [{ value: input }];
  for (let next = 0; next < queue.length && violations.length < MAX_LISTED; next++) {
    const visited = queue[next];
    const { value } = visited;
    if (typeof value === 'string') {
      if (value.includes(NUL)) {
        violations.push({ field: fieldOf(visited, root), message: NUL_CHARACTER_MESSAGE });
      }
    } else if (Array.isArray(value)) {
      value.forEach((item: unknown, key) => queue.push({ value: item, parent: visited, key }));
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        if (key.includes(NUL)) {
          violations.push({
            field: fieldOf(visited, root) || '(root)',
            message: 'must not have a key with a NUL character (\\u0000)',
          });
        }
        queue.push({ value: item, parent: visited, key });
      }
    }
  }
  return violations;
}
