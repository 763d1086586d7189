import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import type { TestSchema } from '@signal/persistence/testing/test-schema';
import { createTopic, testKafka } from '../support/kafka';
import { createTestSchema, SignalTestApp, startSignalTestApp } from '../support/signal-test-app';
import { pushPayload } from '../../libs/phx-node/test/payloads';
import { TEST_API_KEY } from '../support/tokens';
import { uniqueName } from '../support/unique-name';

// The app is built with its tsconfig.build.json; in this repository ESLint and the root typecheck
// read its source through the root tsconfig, which maps phx-node to the library source.
const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const CONSUMER_APP = join(__dirname, 'consumer-app');
const ACTION_CODE = 'HRM_CHECKIN:FACEID';
const DISABLED_ACTION_CODE = 'FEE:NOTICE';
const HOSTNAME = 'portal.phx.vn';
// Packing, installing and compiling a package is slow on a loaded two-core machine.
const SETUP_TIMEOUT_MS = 300_000;

/**
 * The environment of the npm commands: without the `npm_*` variables of the npm that started
 * Jest, whose `npm_config_local_prefix` / `npm_config_prefix` would make `npm install` write into
 * this repository instead of the consumer app.
 */
function npmEnv(): NodeJS.ProcessEnv {
  const kept = new Set(['npm_config_cache', 'npm_config_registry', 'npm_config_userconfig']);
  return Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('npm_') || kept.has(name)),
  );
}

async function npm(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await run('npm', args, {
    cwd,
    env: npmEnv(),
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

/** The consumer app's JSON line: the last one, after any log line of Nest's on stdout. */
function lastLineOf(stdout: string): ConsumerRun['output'] {
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as ConsumerRun['output'];
}

/** What the consumer app printed and how it exited. */
interface ConsumerRun {
  exitCode: number;
  output: {
    result?: { status: string; message: string; id?: string };
    error?: Record<string, unknown>;
  };
}

describe('phx-node, packed and installed into a separate Nest app, against the real Producer', () => {
  let workDir: string;
  let appDir: string;
  let db: TestSchema;
  let signal: SignalTestApp;

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'phx-node-package-'));
    appDir = join(workDir, 'consumer-app');

    // The repository's own pack script, as a release would run it; it prints the tarball's path.
    const tarball = (await npm(ROOT, ['run', '-s', 'pack:phx-node', '--', workDir])).trim();
    await cp(CONSUMER_APP, appDir, {
      recursive: true,
      filter: (source) => !['node_modules', 'dist'].includes(basename(source)),
    });
    // The app's Nest, rxjs and TypeScript come from the npm cache when it has them.
    await npm(appDir, ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball]);
    await npm(appDir, ['run', 'build']);

    db = await createTestSchema('phx-node-package');
    // A hand-off topic of this file's own, so no other test's Consumer sees these requests.
    const topic = uniqueName('phx-node-package');
    const admin = testKafka('phx-node-package-admin').admin();
    await admin.connect();
    try {
      await createTopic(admin, topic);
    } finally {
      await admin.disconnect();
    }
    signal = await startSignalTestApp(db, { KAFKA_TOPIC_PHX_PUSH: topic });

    const configured = await request(signal.app.getHttpServer())
      .put(`/admin/notification-settings/${ACTION_CODE}`)
      .set('x-api-key', TEST_API_KEY)
      .send({ enabled: true, channels: ['push', 'in_app'], critical: false });
    expect(configured.status).toBe(200);
    const disabled = await request(signal.app.getHttpServer())
      .put(`/admin/notification-settings/${DISABLED_ACTION_CODE}`)
      .set('x-api-key', TEST_API_KEY)
      .send({ enabled: false, channels: ['push'], critical: false });
    expect(disabled.status).toBe(200);
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await signal?.close();
    await db?.drop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  /** Runs the consumer app's build, as its own process, with one payload. */
  async function sendFromConsumerApp(
    payload: object,
    env: Record<string, string> = {},
  ): Promise<ConsumerRun> {
    const options = {
      cwd: appDir,
      env: {
        PATH: process.env.PATH ?? '',
        PHX_PRODUCER_URL: signal.baseUrl,
        PHX_API_KEY: TEST_API_KEY,
        PHX_HOSTNAME: HOSTNAME,
        ...env,
      },
    };
    const command = [join(appDir, 'dist', 'main.js'), JSON.stringify(payload)];
    try {
      const { stdout } = await run(process.execPath, command, options);
      return { exitCode: 0, output: lastLineOf(stdout) };
    } catch (error) {
      const { code, stdout } = error as { code: number; stdout: string };
      return { exitCode: code, output: lastLineOf(stdout) };
    }
  }

  // The seed's check-in push, its hostname left to the app's PHX_HOSTNAME.
  const checkIn = (actionCode = ACTION_CODE) =>
    pushPayload({ action_code: actionCode, hostname: undefined });

  const storedRequest = async (id: string) => {
    const rows: Record<string, unknown>[] = await db.dataSource.query(
      'SELECT user_id, action_code, hostname, type, status, idempotency_key, payload FROM phx_push_requests WHERE id = $1',
      [id],
    );
    return rows[0];
  };

  it('should be accepted by the Producer (202) and stored in PostgreSQL', async () => {
    const sent = await sendFromConsumerApp(checkIn(), {
      PHX_IDEMPOTENCY_KEY: uniqueName('check-in'),
    });

    expect(sent).toEqual({
      exitCode: 0,
      output: {
        result: {
          status: 'accepted',
          message: expect.any(String),
          id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        },
      },
    });
    const stored = await storedRequest(sent.output.result?.id ?? '');
    expect(stored).toMatchObject({
      user_id: '8652',
      action_code: ACTION_CODE,
      hostname: HOSTNAME,
      type: 'TO_ME',
      idempotency_key: expect.stringMatching(/^check-in-/),
      payload: expect.objectContaining({ pushNotiMobile: checkIn().pushNotiMobile }),
    });
  });

  it('should return the Producer\'s "not delivered" answer for a disabled action code', async () => {
    const sent = await sendFromConsumerApp(checkIn(DISABLED_ACTION_CODE));

    expect(sent).toEqual({
      exitCode: 0,
      output: {
        result: { status: 'not_delivered', message: expect.any(String), id: expect.any(String) },
      },
    });
    expect(await storedRequest(sent.output.result?.id ?? '')).toMatchObject({
      action_code: DISABLED_ACTION_CODE,
      status: 'not_delivered',
    });
  });

  it('should throw the typed validation error, listing every violation, before reaching the Producer', async () => {
    const [{ count: before }] = await db.dataSource.query<{ count: string }[]>(
      'SELECT count(*) FROM phx_push_requests',
    );

    const sent = await sendFromConsumerApp({ ...checkIn('hrm_checkin:faceid'), user_id: 0 });

    expect(sent).toEqual({
      exitCode: 1,
      output: {
        error: {
          name: 'PhxPushValidationException',
          code: 'INVALID_PAYLOAD',
          source: 'local',
          violations: [
            { field: 'user_id', message: expect.any(String) },
            { field: 'action_code', message: expect.any(String) },
          ],
        },
      },
    });
    const [{ count: after }] = await db.dataSource.query<{ count: string }[]>(
      'SELECT count(*) FROM phx_push_requests',
    );
    expect(after).toBe(before);
  });

  it("should throw UNAUTHORIZED with the Producer's status for a wrong API key", async () => {
    const sent = await sendFromConsumerApp(checkIn(), { PHX_API_KEY: 'not-a-signal-key' });

    expect(sent).toEqual({
      exitCode: 1,
      output: {
        error: {
          name: 'PhxPushHttpException',
          code: 'UNAUTHORIZED',
          status: 401,
          message: expect.stringContaining('the Producer answered 401'),
        },
      },
    });
  });
});
