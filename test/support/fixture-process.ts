import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..', '..');

/** What `node` needs before a TypeScript entry point of this repository (path aliases too). */
export const TS_NODE_ARGS = [
  '-r',
  'ts-node/register/transpile-only',
  '-r',
  'tsconfig-paths/register',
];

/**
 * Runs `test/fixtures/<fixture>` as an OS process of its own from the repository root, with
 * `nodeFlags` before it and `args` after; resolves with its output once it exits 0.
 */
export function runFixture(
  fixture: string,
  { args = [], nodeFlags = [], timeoutMs = 60_000 }: FixtureOptions = {},
): Promise<{ stdout: string; stderr: string }> {
  return promisify(execFile)(
    process.execPath,
    [...nodeFlags, ...TS_NODE_ARGS, join('test', 'fixtures', fixture), ...args],
    { cwd: ROOT, timeout: timeoutMs },
  );
}

export interface FixtureOptions {
  args?: string[];
  nodeFlags?: string[];
  timeoutMs?: number;
}
