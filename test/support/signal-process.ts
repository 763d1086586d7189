import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TS_NODE_ARGS } from './fixture-process';
import { TEST_API_KEY, TEST_JWT_SECRET } from './tokens';
import { waitFor } from './wait-for';
import { kafkaClientEnv } from './test-services';

const ROOT = join(__dirname, '..', '..');

export interface SignalProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
}

const BUILT_MAIN = 'dist/apps/signal/main.js';
const ENTRY_ARGS = {
  source: [...TS_NODE_ARGS, 'apps/signal/src/main.ts'],
  build: [BUILT_MAIN],
};

/**
 * Runs the app as its own OS process: from `source` (`apps/signal/src/main.ts`), or the `build`
 * as `npm start` runs it, with its bundles (the channel thread's included). `build` needs
 * `npm run build` first, which `npm run test:all` does.
 */
export function spawnSignal(
  env: Record<string, string>,
  args: string[] = [],
  entry: keyof typeof ENTRY_ARGS = 'source',
): SignalProcess {
  if (entry === 'build' && !existsSync(join(ROOT, BUILT_MAIN))) {
    throw new Error(`${BUILT_MAIN} is missing: run npm run build (npm run test:all does)`);
  }
  const child = spawn(process.execPath, [...ENTRY_ARGS[entry], ...args], {
    cwd: ROOT,
    // The test credentials unless `env` says otherwise ('' unsets).
    env: {
      PATH: process.env.PATH ?? '',
      SIGNAL_JWT_SECRET: TEST_JWT_SECRET,
      SIGNAL_API_KEYS: TEST_API_KEY,
      ...kafkaClientEnv(),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit').then(([code, signal]) => (code ?? signal) as number | string);
  return { child, output: () => output, exited };
}

/**
 * Waits until the process answers `url` + `path` with a 2xx. Fails at once if it exits first, and
 * after 45 s otherwise, killing it and showing its output either way.
 */
export async function waitUntilServing(
  app: SignalProcess,
  url: string,
  path: '/health/live' | '/health/ready' = '/health/ready',
): Promise<void> {
  const exitedEarly = app.exited.then((code) => {
    throw new Error(`the app exited (${code}) before it answered ${path}`);
  });
  exitedEarly.catch(() => undefined);
  try {
    await Promise.race([
      exitedEarly,
      waitFor(
        `the app to answer ${path}`,
        async () => ((await fetch(`${url}${path}`)).ok ? true : undefined),
        { timeoutMs: 45_000, intervalMs: 200 },
      ),
    ]);
  } catch (error) {
    app.child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n--- app output ---\n${app.output()}`);
  }
}

export type LogLine = Record<string, unknown> & {
  msg?: string;
  context?: string;
  correlationId?: string;
};

/** Every line of the app's output as JSON; a line that is not JSON fails the test with its text. */
export function logLines(app: SignalProcess): LogLine[] {
  return app
    .output()
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as LogLine;
      } catch {
        throw new Error(`not a JSON log line: ${line}`);
      }
    });
}
