import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { TEST_DATABASE_URL } from '@signal/persistence/testing/test-schema';
import { kafkaClientEnv } from '../../test/support/test-services';

export const ROOT = join(__dirname, '..', '..');
const OUTPUT_TAIL_CHARS = 8_000;

/** Every child this run started, so a crash or Ctrl-C never leaves one behind. */
const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

export function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

export const hasExited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null;

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
export async function stopProcess(child: ChildProcess, graceMs: number): Promise<void> {
  if (hasExited(child)) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export interface ServerProcess {
  pid: number;
  url: string;
  /** The last few KB of its stdout and stderr, for error messages. */
  output(): string;
  stop(): Promise<void>;
}

/** Starts `node <args>` from the repository root and waits until GET /health/live answers 200. */
export async function startServer(
  args: string[],
  env: Record<string, string>,
  port: number,
  readyTimeoutMs = 60_000,
): Promise<ServerProcess> {
  const child = track(
    spawn(process.execPath, args, {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const server: ServerProcess = {
    pid: child.pid ?? 0,
    url,
    output: () => output,
    stop: () => stopProcess(child, 15_000),
  };
  const deadline = Date.now() + readyTimeoutMs;
  while (!(await isLive(url))) {
    if (hasExited(child) || Date.now() > deadline) {
      await server.stop();
      throw new Error(`server "${args.join(' ')}" did not become ready:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return server;
}

function isLive(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = get(`${url}/health/live`, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.setTimeout(1000, () => request.destroy());
    request.on('error', () => resolve(false));
  });
}

/**
 * The built Signal app (`dist/apps/signal/main.js`) on the local stack as the benchmarks run it:
 * production, warn-level logs, no RabbitMQ, its own database schema (migrated by the caller) and
 * Socket.IO Redis key, a Kafka group reading from the beginning; `env` adds or overrides settings.
 * `nodeFlags` go before the script, e.g. `--cpu-prof` (see bench/profile/cpu-profile.ts).
 * `appRoot`: another checkout's build, for a bench comparing builds.
 */
export async function startBuiltSignal(
  schema: string,
  env: Record<string, string>,
  { nodeFlags = [], appRoot = ROOT }: { nodeFlags?: string[]; appRoot?: string } = {},
): Promise<ServerProcess> {
  return startServer(
    [...nodeFlags, join(appRoot, 'dist/apps/signal/main.js')],
    {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATABASE_URL: TEST_DATABASE_URL,
      DATABASE_SCHEMA: schema,
      KAFKA_BROKERS: '127.0.0.1:9092',
      KAFKA_FROM_BEGINNING: 'true',
      RABBITMQ_ENABLED: 'false',
      REDIS_URL: 'redis://127.0.0.1:6379',
      SOCKET_IO_REDIS_KEY: `socket.io.${schema}`,
      ...kafkaClientEnv(),
      ...env,
    },
    await freePort(),
  );
}
