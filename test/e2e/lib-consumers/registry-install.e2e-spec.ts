import { execFile } from 'node:child_process';
import { copyFile, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { NotificationWebSocketRooms } from '@signal/core';
import type { TestSchema } from '@signal/persistence/testing/test-schema';
import type { Socket } from 'socket.io-client';
import request from 'supertest';
import { pushPayload } from '../../../libs/phx-node/test/payloads';
import { npmEnvironment } from '../../../scripts/lib/npm-environment';
import { createTopic, testKafka } from '../../support/kafka';
import { PrivateNpmRegistry } from '../../support/private-services';
import {
  createTestSchema,
  SignalTestApp,
  socketRedisKeyOf,
  startSignalTestApp,
} from '../../support/signal-test-app';
import { collect, connectSocket, waitForCount } from '../../support/socket-client';
import { TestServices } from '../../support/test-services';
import { TEST_API_KEY, userToken } from '../../support/tokens';
import { uniqueName } from '../../support/unique-name';

/*
 * Signal's libraries as other services get them: `npm run release:libs` publishes `@signal/core`
 * and `phx-node` to a real npm registry on loopback (Verdaccio), and two separate NestJS services
 * install them by name through an `.npmrc` that points their whole registry there: one on
 * NestJS 11 in CommonJS, one on NestJS 12 as ES modules. Each sends through the real Producer of
 * a Signal app and emits to a connected socket through `WebSocketEmitter` over the shared Redis.
 */

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..', '..');
const CONSUMERS = __dirname;
/** Tarballs and metadata npm fetched before: content-addressed, safe to share between runs. */
const NPM_CACHE = join(ROOT, '.cache', 'lib-consumers', 'npm');
const ACTION_CODE = 'HRM_CHECKIN:FACEID';
const HOSTNAME = 'portal.phx.vn';
const EMIT_TOPIC = 'lib-consumers/hello';
// A cold npm cache downloads two NestJS apps' dependencies through the registry.
const SETUP_TIMEOUT_MS = 240_000;

const CONSUMER_APPS = [
  { name: 'nest11-cjs', nestMajor: 11, moduleSystem: 'commonjs' },
  { name: 'nest12-esm', nestMajor: 12, moduleSystem: 'esm' },
] as const;
type ConsumerAppName = (typeof CONSUMER_APPS)[number]['name'];

interface Library {
  name: string;
  version: string;
}

interface NpmResult {
  code: number;
  output: string;
}

/** Runs npm in `cwd`; resolves with its exit code and output (stdout then stderr) either way. */
async function npm(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<NpmResult> {
  try {
    const { stdout, stderr } = await run('npm', args, {
      cwd,
      env: npmEnvironment(env),
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, output: stdout + stderr };
  }
}

async function npmOk(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const result = await npm(cwd, args, env);
  if (result.code !== 0) throw new Error(`npm ${args.join(' ')} failed:\n${result.output}`);
  return result.output;
}

const idOf = (library: Library) => `${library.name}@${library.version}`;

async function readLibrary(dir: string): Promise<Library> {
  const manifest = JSON.parse(await readFile(join(ROOT, dir, 'package.json'), 'utf8')) as Library;
  return { name: manifest.name, version: manifest.version };
}

/** What the consumer app printed: its last stdout line. */
interface ConsumerOutcome {
  moduleSystem: string;
  sends: ({ result: { status: string; message: string; id?: string } } | { error: object })[];
  emitted: boolean;
}

interface InstalledTree {
  dependencies: Record<string, { version: string; integrity?: string }>;
}

/** `npm view name@version --json`, the fields these tests read. */
interface PublishedManifest extends Record<string, unknown> {
  dist: { integrity: string };
}

describe('phx-node and @signal/core, published to a registry and installed by name', () => {
  const timings: Record<string, number> = {};
  let workDir: string;
  let registry: PrivateNpmRegistry;
  let publisherConfig: string;
  let core: Library;
  let phxNode: Library;
  let dryRun: NpmResult;
  /** `npm view phx-node` between the dry run and the release. */
  let viewAfterDryRun: NpmResult;
  let release: NpmResult;
  const published = {} as Record<string, PublishedManifest>;
  const appDirs = {} as Record<ConsumerAppName, string>;
  const installed = {} as Record<ConsumerAppName, InstalledTree>;
  let db: TestSchema;
  let signal: SignalTestApp;

  async function timed<T>(phase: string, work: () => Promise<T>): Promise<T> {
    const startedAt = Date.now();
    try {
      return await work();
    } finally {
      timings[phase] = Date.now() - startedAt;
    }
  }

  /** `npm run release:libs` as a publisher with `publisherConfig` as user `.npmrc` runs it. */
  const releaseLibs = (args: string[] = []) =>
    npm(ROOT, ['run', '-s', 'release:libs', '--', ...args], {
      npm_config_userconfig: publisherConfig,
    });

  /** A copy of the app with the shared service source, its `.npmrc`, the libraries installed. */
  async function prepareConsumerApp(name: ConsumerAppName): Promise<void> {
    const appDir = join(workDir, name);
    appDirs[name] = appDir;
    await cp(join(CONSUMERS, name), appDir, { recursive: true });
    await mkdir(join(appDir, 'src'));
    await copyFile(join(CONSUMERS, 'consumer-main.ts'), join(appDir, 'src', 'main.ts'));
    // The whole registry: `phx-node` has no scope to route by.
    await writeFile(join(appDir, '.npmrc'), `registry=${registry.url}\n`);
    await timed(`install ${name}`, () =>
      npmOk(appDir, [
        'install',
        '--no-audit',
        '--no-fund',
        // Metadata always from this run's registry; tarballs from the cache by their integrity.
        '--prefer-online',
        `--cache=${NPM_CACHE}`,
        `${phxNode.name}@${phxNode.version}`,
        `${core.name}@${core.version}`,
      ]),
    );
    const ls = await npmOk(appDir, ['ls']);
    console.log(`npm ls (${name}):\n${ls}`);
    installed[name] = JSON.parse(await npmOk(appDir, ['ls', '--json', '--long'])) as InstalledTree;
    await timed(`build ${name}`, () => npmOk(appDir, ['run', 'build']));
  }

  beforeAll(async () => {
    const startedAt = Date.now();
    workDir = await mkdtemp(join(tmpdir(), 'lib-consumers-'));
    [core, phxNode] = await Promise.all([readLibrary('libs/core'), readLibrary('libs/phx-node')]);

    // Verdaccio's uplink is the registry npm already uses here; no host in the repository.
    const uplink = (await npmOk(ROOT, ['config', 'get', 'registry'])).trim();
    registry = await timed('registry start', () => PrivateNpmRegistry.create(uplink));
    const token = await registry.addUser('signal-release');
    publisherConfig = join(workDir, 'publisher.npmrc');
    await writeFile(
      publisherConfig,
      `registry=${registry.url}\n${registry.authTokenLine(token)}\n`,
    );

    dryRun = await timed('release:libs --dry-run', () => releaseLibs(['--dry-run']));
    viewAfterDryRun = await npm(ROOT, ['view', phxNode.name, '--registry', registry.url]);
    release = await timed('release:libs', () => releaseLibs());
    if (release.code !== 0) throw new Error(`release:libs failed:\n${release.output}`);
    for (const library of [phxNode, core]) {
      const view = await npmOk(ROOT, ['view', library.name, '--registry', registry.url]);
      console.log(`npm view ${library.name} --registry ${registry.url}\n${view}`);
      const id = `${library.name}@${library.version}`;
      const json = await npmOk(ROOT, ['view', id, '--json', '--registry', registry.url]);
      published[library.name] = JSON.parse(json) as PublishedManifest;
    }

    await timed('consumer apps', () =>
      Promise.all(CONSUMER_APPS.map(({ name }) => prepareConsumerApp(name))),
    );

    db = await createTestSchema('lib-consumers');
    // A hand-off topic of this file's own, so no other test's Consumer sees these requests.
    const topic = uniqueName('lib-consumers');
    const admin = testKafka('lib-consumers-admin').admin();
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
    timings.setup = Date.now() - startedAt;
    console.log(`lib-consumers timings (ms): ${JSON.stringify(timings)}`);
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await signal?.close();
    await db?.drop();
    await registry?.destroy();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  describe('npm run release:libs', () => {
    it('should build both packages and publish nothing with --dry-run', () => {
      expect(dryRun.code).toBe(0);
      for (const library of [core, phxNode]) {
        expect(dryRun.output).toContain(`${idOf(library)} → ${registry.url}: new`);
      }
      expect(dryRun.output).toContain('dist/index.d.ts');
      expect(dryRun.output).toContain(
        `dry run, would publish ${idOf(core)}, ${idOf(phxNode)}; unchanged nothing`,
      );
      expect(viewAfterDryRun).toEqual({ code: 1, output: expect.stringContaining('E404') });
    });

    it('should publish both packages, with their types, engines and NestJS 11 and 12 as peers', () => {
      expect(release.output).toContain(
        `published ${idOf(core)}, ${idOf(phxNode)}; unchanged nothing`,
      );
      expect(published[phxNode.name]).toMatchObject({
        name: 'phx-node',
        version: phxNode.version,
        'dist-tags': { latest: phxNode.version },
        types: './dist/index.d.ts',
        exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } },
        peerDependencies: {
          '@nestjs/common': '^11.0.0 || ^12.0.0',
          '@nestjs/core': '^11.0.0 || ^12.0.0',
          'reflect-metadata': expect.any(String),
          rxjs: expect.any(String),
        },
        engines: { node: expect.any(String) },
      });
      expect(published[core.name]).toMatchObject({
        name: '@signal/core',
        version: core.version,
        dependencies: { '@socket.io/redis-emitter': expect.any(String) },
        exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } },
      });
    });

    it('should publish nothing again while both libraries are unchanged', async () => {
      const again = await releaseLibs();

      expect(again).toEqual({
        code: 0,
        output: expect.stringContaining(
          `published nothing; unchanged ${idOf(core)}, ${idOf(phxNode)}`,
        ),
      });
    });
  });

  describe.each(CONSUMER_APPS)('a NestJS $nestMajor service ($moduleSystem)', (consumer) => {
    it('should have both libraries installed by name from the registry, beside its own NestJS', async () => {
      const { dependencies } = installed[consumer.name];
      const manifest = JSON.parse(
        await readFile(join(appDirs[consumer.name], 'package.json'), 'utf8'),
      ) as { dependencies: Record<string, string> };

      // The very tarballs release:libs published.
      for (const library of [phxNode, core]) {
        expect(dependencies[library.name]).toMatchObject({
          version: library.version,
          integrity: published[library.name].dist.integrity,
        });
      }
      expect(dependencies['@nestjs/core'].version).toMatch(new RegExp(`^${consumer.nestMajor}\\.`));
      // A registry version range, not a path or a tarball.
      expect(manifest.dependencies).toMatchObject({
        'phx-node': `^${phxNode.version}`,
        '@signal/core': `^${core.version}`,
      });
      const shipped = join(appDirs[consumer.name], 'node_modules', 'phx-node');
      for (const file of ['dist/index.d.ts', 'README.md', 'LICENSE', 'CHANGELOG.md']) {
        await expect(readFile(join(shipped, file), 'utf8')).resolves.toEqual(expect.any(String));
      }
    });

    it('should send through the Producer and emit to a connected socket through WebSocketEmitter', async () => {
      const userId = uniqueName(consumer.name);
      const socket: Socket = await connectSocket(signal.baseUrl, {
        token: userToken({ sub: userId }),
      });
      try {
        const received = collect<object>(socket, EMIT_TOPIC);
        const idempotencyKey = uniqueName('lib-consumer-send');
        const job = {
          sends: [
            { payload: pushPayload({ hostname: undefined }), idempotencyKey },
            { payload: { ...pushPayload(), action_code: 'hrm_checkin:faceid' } },
          ],
          emit: {
            room: NotificationWebSocketRooms.recipient(userId),
            topic: EMIT_TOPIC,
            payload: { from: consumer.name },
          },
        };

        const sent = await runConsumerApp(consumer.name, job);

        expect(sent).toEqual({
          moduleSystem: consumer.moduleSystem,
          sends: [
            {
              result: {
                status: 'accepted',
                message: expect.any(String),
                id: expect.stringMatching(/^[0-9a-f-]{36}$/),
              },
            },
            {
              error: {
                name: 'PhxPushValidationException',
                code: 'INVALID_PAYLOAD',
                source: 'local',
                violations: [{ field: 'action_code', message: expect.any(String) }],
              },
            },
          ],
          emitted: true,
        });
        const { result } = sent.sends[0] as { result: { id: string } };
        const rows: Record<string, unknown>[] = await db.dataSource.query(
          'SELECT user_id, action_code, hostname, idempotency_key FROM phx_push_requests WHERE id = $1',
          [result.id],
        );
        expect(rows).toEqual([
          {
            user_id: '8652',
            action_code: ACTION_CODE,
            hostname: HOSTNAME,
            idempotency_key: idempotencyKey,
          },
        ]);
        expect(await waitForCount(received, 1, `${EMIT_TOPIC} on the socket`)).toEqual([
          { from: consumer.name },
        ]);
      } finally {
        socket.close();
      }
    });
  });

  // Last: it replaces what the registry holds of @signal/core.
  describe('npm run release:libs, once a library differs from the tarball of its version', () => {
    it('should publish nothing, naming the library whose version must be raised', async () => {
      // Stands in for a library changed after its version was published: the registry's
      // @signal/core of this version is replaced by another tarball.
      const asPublisher = { npm_config_userconfig: publisherConfig };
      await npmOk(ROOT, ['unpublish', idOf(core), '--force'], asPublisher);
      const other = join(workDir, 'other-core');
      await mkdir(other);
      await writeFile(join(other, 'package.json'), JSON.stringify({ ...core, main: 'index.js' }));
      await writeFile(join(other, 'index.js'), 'module.exports = {};\n');
      await npmOk(other, ['publish'], asPublisher);

      const again = await releaseLibs();

      expect(again.code).toBe(1);
      expect(again.output).toContain('nothing published');
      expect(again.output).toContain(
        `${idOf(core)}: differs from the ${idOf(core)} published to ${registry.url}; raise the version`,
      );
      expect(again.output).not.toContain(`${idOf(phxNode)}: differs`);
    });
  });

  /** Runs the consumer app's build as its own process, as its service would run. */
  async function runConsumerApp(name: ConsumerAppName, job: object): Promise<ConsumerOutcome> {
    const options = {
      cwd: appDirs[name],
      env: {
        PATH: process.env.PATH ?? '',
        PHX_PRODUCER_URL: signal.baseUrl,
        PHX_API_KEY: TEST_API_KEY,
        PHX_HOSTNAME: HOSTNAME,
        REDIS_URL: TestServices.redisUrl,
        SOCKET_IO_REDIS_KEY: socketRedisKeyOf(db),
      },
    };
    try {
      const { stdout } = await run(
        process.execPath,
        ['dist/main.js', JSON.stringify(job)],
        options,
      );
      return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as ConsumerOutcome;
    } catch (error) {
      const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
      throw new Error(`${name} exited ${code}:\n${stdout}${stderr}`);
    }
  }
});
