import { ChildProcess, execFile, spawn, StdioOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, openSync, readFileSync } from 'node:fs';
import { chown, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { connect as amqpConnect } from 'amqplib';
import { Kafka, logLevel } from 'kafkajs';
import { freePort } from './free-port';
import { guardAgainstOrphans } from './orphan-guard';
import { waitFor } from './wait-for';

/*
 * Private instances of Signal's four dependencies for tests that stop and start them (the chaos
 * suite), of an npm registry for the test that publishes Signal's libraries, and of the local
 * stack's mail catcher for the test of its path: each on its own
 * loopback ports with its data and pid files in its own temp dir, so the shared local stack
 * other test files use is never touched. `destroy()` stops each for good and deletes its dir; an
 * orphan guard does the same if the test run dies before that.
 */

const execFileAsync = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const BOOT_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

/** The names `/health/ready` reports the dependencies under. */
export type DependencyName = 'redis' | 'postgresql' | 'kafka' | 'rabbitmq';

export interface PrivateService {
  readonly name: DependencyName;
  /** How long the first start took, until the service answered (ms). */
  readonly bootMs: number;
  /** Takes the service away: clients see connections closed and refused. */
  stop(): Promise<void>;
  /** Brings it back on the same port with the same data; resolves once it answers. */
  start(): Promise<void>;
  /** Stops it for good and deletes its data; safe in any state. */
  destroy(): Promise<void>;
}

/** A temp dir for one service's data and pid files, watched by an orphan guard. */
class WorkDir {
  private constructor(
    readonly path: string,
    private readonly endGuard: () => void,
  ) {}

  static async create(service: string): Promise<WorkDir> {
    const path = await mkdtemp(join(tmpdir(), `signal-private-${service}-`));
    return new WorkDir(path, guardAgainstOrphans(path));
  }

  /** `<dir>/<name>`. */
  file(name: string): string {
    return join(this.path, name);
  }

  async remove(): Promise<void> {
    this.endGuard();
    await rm(this.path, { recursive: true, force: true });
  }
}

async function run(command: string, args: string[], env?: NodeJS.ProcessEnv): Promise<string> {
  try {
    const { stdout } = await execFileAsync(command, args, {
      env: env ?? process.env,
      timeout: BOOT_TIMEOUT_MS,
    });
    return stdout;
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    throw new Error(
      `${command} ${args.join(' ')} failed: ${(error as Error).message}\n${stdout ?? ''}${stderr ?? ''}`,
    );
  }
}

async function tcpAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The first start, timed; a service that does not come up is destroyed, not left behind. */
async function firstBoot<T extends { bootMs: number; destroy(): Promise<void> }>(
  service: T,
  boot: () => Promise<void>,
): Promise<T> {
  const startedAt = Date.now();
  try {
    await boot();
  } catch (error) {
    await service.destroy();
    throw error;
  }
  service.bootMs = Date.now() - startedAt;
  return service;
}

function running(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** Signals a child and waits for it to exit; SIGKILL if it has not within the stop timeout. */
async function stopChild(child: ChildProcess | undefined, signal: NodeJS.Signals): Promise<void> {
  if (!child || !running(child)) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/** A service run as one child process of the test, its pid recorded for the orphan guard. */
abstract class ChildProcessService {
  bootMs = 0;
  protected child?: ChildProcess;

  protected constructor(protected readonly dir: WorkDir) {}

  protected async spawnChild(
    command: string,
    args: string[],
    stdio: StdioOptions,
  ): Promise<ChildProcess> {
    const child = spawn(command, args, { stdio });
    this.child = child;
    await writeFile(this.dir.file('process.pid'), String(child.pid));
    return child;
  }

  /** SIGTERM: the service's own clean shutdown, as an orchestrator stops it. */
  async stop(): Promise<void> {
    await stopChild(this.child, 'SIGTERM');
  }

  async destroy(): Promise<void> {
    await stopChild(this.child, 'SIGKILL');
    await this.dir.remove();
  }
}

/** `redis-server` as a child process, no persistence. */
export class PrivateRedis extends ChildProcessService implements PrivateService {
  readonly name = 'redis';

  private constructor(
    readonly port: number,
    dir: WorkDir,
  ) {
    super(dir);
  }

  static async create(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort(), await WorkDir.create('redis'));
    return firstBoot(redis, () => redis.start());
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1'];
    const persistence = ['--save', '', '--appendonly', 'no'];
    const child = await this.spawnChild('redis-server', [...args, ...persistence], 'ignore');
    await waitFor(
      `private Redis to listen on ${this.port}`,
      async () => {
        if (!running(child)) throw new Error(`redis-server exited (${child.exitCode})`);
        return (await tcpAccepts(this.port)) ? true : undefined;
      },
      { timeoutMs: BOOT_TIMEOUT_MS },
    );
  }
}

/**
 * A throwaway PostgreSQL cluster (initdb, trust auth on 127.0.0.1) run with pg_ctl. PostgreSQL
 * refuses to run as root: as root, every command runs as the `postgres` OS user, which owns the
 * data directory.
 */
export class PrivatePostgres implements PrivateService {
  readonly name = 'postgresql';
  bootMs = 0;

  private constructor(
    readonly port: number,
    private readonly dir: WorkDir,
    private readonly bin: string,
  ) {}

  static async create(): Promise<PrivatePostgres> {
    const dir = await WorkDir.create('pg');
    const postgres = new PrivatePostgres(await freePort(), dir, await PrivatePostgres.binDir());
    return firstBoot(postgres, async () => {
      if (process.getuid?.() === 0) {
        const [uid, gid] = await Promise.all(
          ['-u', '-g'].map(async (flag) => Number(await run('id', [flag, 'postgres']))),
        );
        await chown(dir.path, uid, gid);
      }
      await postgres.pg('initdb', [
        '-D',
        postgres.dataDir,
        '-U',
        'postgres',
        '--auth=trust',
        '--encoding=UTF8',
        '--locale=C',
        '--no-sync',
      ]);
      await postgres.start();
    });
  }

  /** The newest installed server's binaries (Debian keeps them out of PATH). */
  private static async binDir(): Promise<string> {
    const base = '/usr/lib/postgresql';
    const versions = (await readdir(base).catch(() => [] as string[]))
      .filter((version) => existsSync(join(base, version, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions.length === 0) throw new Error(`no PostgreSQL server binaries under ${base}`);
    return join(base, versions[0], 'bin');
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  /** Holds `postmaster.pid`, which the orphan guard reads. */
  private get dataDir(): string {
    return this.dir.file('data');
  }

  private async pg(program: string, args: string[]): Promise<string> {
    const path = join(this.bin, program);
    return process.getuid?.() === 0
      ? run('runuser', ['-u', 'postgres', '--', path, ...args])
      : run(path, args);
  }

  async start(): Promise<void> {
    // fsync off: a test cluster, stopped by pg_ctl, never by a power cut.
    const options = `-p ${this.port} -c listen_addresses=127.0.0.1 -k ${this.dir.path} -c fsync=off`;
    await this.pg('pg_ctl', [
      'start',
      '-D',
      this.dataDir,
      '-l',
      this.dir.file('postgres.log'),
      '-w',
      '-t',
      String(BOOT_TIMEOUT_MS / 1000),
      '-o',
      options,
    ]);
  }

  /** `pg_ctl stop -m fast`: sessions are disconnected, new connections refused. */
  async stop(): Promise<void> {
    await this.pg('pg_ctl', ['stop', '-D', this.dataDir, '-m', 'fast', '-w']);
  }

  async destroy(): Promise<void> {
    if (existsSync(join(this.dataDir, 'postmaster.pid'))) {
      await this.pg('pg_ctl', ['stop', '-D', this.dataDir, '-m', 'immediate', '-w']).catch(
        () => undefined,
      );
    }
    await this.dir.remove();
  }
}

/**
 * A Kafka broker in KRaft combined mode (as `scripts/stack/stack.sh` runs the shared one) from
 * the jars `npm run stack:up` keeps in `.cache/kafka/libs`, as a child process.
 */
export class PrivateKafka extends ChildProcessService implements PrivateService {
  readonly name = 'kafka';

  private constructor(
    readonly port: number,
    private readonly controllerPort: number,
    dir: WorkDir,
  ) {
    super(dir);
  }

  static async create(): Promise<PrivateKafka> {
    if (!existsSync(PrivateKafka.libs)) {
      throw new Error(`${PrivateKafka.libs} is missing: run npm run stack:up once`);
    }
    const dir = await WorkDir.create('kafka');
    const kafka = new PrivateKafka(await freePort(), await freePort(), dir);
    return firstBoot(kafka, async () => {
      await kafka.writeConfig();
      // A cluster id is 16 random bytes in URL-safe base64, as `StorageTool random-uuid` makes.
      const clusterId = randomBytes(16).toString('base64url');
      await run('java', [
        ...kafka.javaArgs('kafka.tools.StorageTool'),
        'format',
        // One argument: an id may start with "-".
        `--cluster-id=${clusterId}`,
        `--config=${kafka.config}`,
      ]);
      await kafka.start();
    });
  }

  private static get libs(): string {
    return join(ROOT, '.cache', 'kafka', 'libs');
  }

  get brokers(): string[] {
    return [`127.0.0.1:${this.port}`];
  }

  private get config(): string {
    return this.dir.file('server.properties');
  }

  private javaArgs(mainClass: string): string[] {
    return [
      '-Xms128m',
      '-Xmx384m',
      '-XX:+UseSerialGC',
      // The client compiler only: a quicker start and less CPU taken from the app on 2 cores.
      '-XX:TieredStopAtLevel=1',
      `-Dlog4j2.configurationFile=${join(ROOT, 'scripts', 'stack', 'kafka', 'log4j2.properties')}`,
      '-cp',
      join(PrivateKafka.libs, '*'),
      mainClass,
    ];
  }

  private async writeConfig(): Promise<void> {
    const host = '127.0.0.1';
    await writeFile(
      this.config,
      [
        'process.roles=broker,controller',
        'node.id=1',
        `controller.quorum.voters=1@${host}:${this.controllerPort}`,
        `listeners=PLAINTEXT://${host}:${this.port},CONTROLLER://${host}:${this.controllerPort}`,
        `advertised.listeners=PLAINTEXT://${host}:${this.port}`,
        'controller.listener.names=CONTROLLER',
        'inter.broker.listener.name=PLAINTEXT',
        'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
        `log.dirs=${this.dir.file('data')}`,
        'num.partitions=3',
        'offsets.topic.replication.factor=1',
        'offsets.topic.num.partitions=3',
        'transaction.state.log.replication.factor=1',
        'transaction.state.log.min.isr=1',
        'group.initial.rebalance.delay.ms=0',
        'auto.create.topics.enable=true',
        '',
      ].join('\n'),
    );
  }

  async start(): Promise<void> {
    const log = openSync(this.dir.file('kafka.log'), 'a');
    const child = await this.spawnChild(
      'java',
      [...this.javaArgs('kafka.Kafka'), this.config],
      ['ignore', log, log],
    );
    const kafka = new Kafka({
      clientId: 'private-kafka-probe',
      brokers: this.brokers,
      logLevel: logLevel.NOTHING,
      connectionTimeout: 1000,
      retry: { retries: 0 },
    });
    try {
      await waitFor(
        `private Kafka to answer on ${this.port}`,
        async () => {
          if (!running(child)) {
            throw new Error(`the broker exited (${child.exitCode}): ${await this.logTail()}`);
          }
          if (!(await tcpAccepts(this.port))) return undefined;
          // An open port is not enough: the KRaft quorum must have elected its controller.
          const admin = kafka.admin();
          await admin.connect();
          try {
            const cluster = await admin.describeCluster();
            return cluster.controller !== null && cluster.controller >= 0 ? true : undefined;
          } finally {
            await admin.disconnect();
          }
        },
        { timeoutMs: BOOT_TIMEOUT_MS, intervalMs: 250 },
      );
    } catch (error) {
      await stopChild(child, 'SIGKILL');
      throw error;
    }
  }

  private async logTail(): Promise<string> {
    const text = await readFile(this.dir.file('kafka.log'), 'utf8').catch(() => '');
    return text.split('\n').slice(-20).join('\n');
  }
}

/**
 * A RabbitMQ node of its own (unique node name, AMQP and distribution ports, Mnesia and log
 * dirs, an Erlang cookie in its own HOME, no plugins so no management listener clashes).
 * `stop()`/`start()` stop and start the RabbitMQ application, not the Erlang node: the AMQP
 * listener closes and every connection is dropped, and coming back takes a second or two
 * instead of a node boot.
 */
export class PrivateRabbitmq implements PrivateService {
  readonly name = 'rabbitmq';
  bootMs = 0;
  private readonly node = `signal-private-${randomBytes(4).toString('hex')}@localhost`;

  private constructor(
    readonly port: number,
    private readonly distPort: number,
    private readonly dir: WorkDir,
  ) {}

  static async create(): Promise<PrivateRabbitmq> {
    const dir = await WorkDir.create('rabbitmq');
    const rabbitmq = new PrivateRabbitmq(await freePort(), await freePort(), dir);
    return firstBoot(rabbitmq, async () => {
      await Promise.all(['mnesia', 'log'].map((sub) => mkdir(dir.file(sub))));
      await writeFile(dir.file('enabled_plugins'), '');
      await writeFile(dir.file('rabbitmq-env.conf'), '');
      await writeFile(
        dir.file('rabbitmq.conf'),
        `listeners.tcp.default = 127.0.0.1:${rabbitmq.port}\n`,
      );
      await run(PrivateRabbitmq.script('rabbitmq-server'), ['-detached'], rabbitmq.env);
      await rabbitmq.waitUntilAmqpAnswers();
    });
  }

  /** The scripts themselves: Debian's wrappers on PATH switch to the `rabbitmq` user and HOME. */
  private static script(name: string): string {
    const debian = join('/usr/lib/rabbitmq/bin', name);
    return existsSync(debian) ? debian : name;
  }

  get url(): string {
    return `amqp://guest:guest@127.0.0.1:${this.port}`;
  }

  private get env(): NodeJS.ProcessEnv {
    const { dir } = this;
    return {
      ...process.env,
      HOME: dir.path,
      RABBITMQ_NODENAME: this.node,
      RABBITMQ_NODE_PORT: String(this.port),
      RABBITMQ_DIST_PORT: String(this.distPort),
      RABBITMQ_MNESIA_BASE: dir.file('mnesia'),
      RABBITMQ_LOG_BASE: dir.file('log'),
      RABBITMQ_PID_FILE: dir.file('rabbitmq.pid'),
      RABBITMQ_ENABLED_PLUGINS_FILE: dir.file('enabled_plugins'),
      // Not /etc/rabbitmq's files: they name the shared node and its port.
      RABBITMQ_CONF_ENV_FILE: dir.file('rabbitmq-env.conf'),
      RABBITMQ_CONFIG_FILE: dir.file('rabbitmq.conf'),
      ERL_EPMD_ADDRESS: '127.0.0.1',
      RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: '-kernel inet_dist_use_interface {127,0,0,1}',
    };
  }

  private async ctl(command: string): Promise<void> {
    await run(PrivateRabbitmq.script('rabbitmqctl'), ['-q', '-n', this.node, command], this.env);
  }

  private async waitUntilAmqpAnswers(): Promise<void> {
    await waitFor(
      `private RabbitMQ to accept AMQP connections on ${this.port}`,
      async () => {
        if (!(await tcpAccepts(this.port))) return undefined;
        const connection = await amqpConnect(this.url, { timeout: 2000 });
        await connection.close();
        return true;
      },
      { timeoutMs: BOOT_TIMEOUT_MS, intervalMs: 250 },
    );
  }

  async stop(): Promise<void> {
    await this.ctl('stop_app');
  }

  async start(): Promise<void> {
    await this.ctl('start_app');
    await this.waitUntilAmqpAnswers();
  }

  async destroy(): Promise<void> {
    const pidFile = this.dir.file('rabbitmq.pid');
    if (existsSync(pidFile)) {
      await this.ctl('stop').catch(() => undefined);
      try {
        process.kill(Number(readFileSync(pidFile, 'utf8').trim()), 'SIGKILL');
      } catch {
        // Stopped.
      }
    }
    await this.dir.remove();
  }
}

/**
 * A real npm registry (Verdaccio) on loopback. `phx-node` and `@signal/*` live only here: they
 * can be published (by a registered user) and are never looked up upstream, where another package
 * may carry the same name. Every other package is proxied to `uplink`.
 */
export class PrivateNpmRegistry extends ChildProcessService {
  private constructor(
    readonly port: number,
    private readonly uplink: string,
    dir: WorkDir,
  ) {
    super(dir);
  }

  static async create(uplink: string): Promise<PrivateNpmRegistry> {
    const registry = new PrivateNpmRegistry(await freePort(), uplink, await WorkDir.create('npm'));
    return firstBoot(registry, async () => {
      await registry.writeConfig();
      await registry.start();
    });
  }

  /** With the trailing `/` npm writes in `.npmrc`. */
  get url(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  private get config(): string {
    return this.dir.file('config.yaml');
  }

  private async writeConfig(): Promise<void> {
    const ownPackage = { access: '$all', publish: '$authenticated' };
    // JSON is YAML: no YAML writer needed.
    const config = {
      storage: this.dir.file('storage'),
      // npm will not publish anonymously; at most one user, the test's publisher.
      auth: { htpasswd: { file: this.dir.file('htpasswd'), max_users: 1 } },
      uplinks: { upstream: { url: this.uplink, timeout: '60s' } },
      packages: {
        'phx-node': ownPackage,
        '@signal/*': ownPackage,
        '**': { access: '$all', proxy: 'upstream' },
      },
      web: { enable: false },
      middlewares: { audit: { enabled: false } },
      log: { type: 'stdout', format: 'pretty', level: 'warn' },
    };
    await writeFile(this.config, JSON.stringify(config, null, 2));
  }

  async start(): Promise<void> {
    const log = openSync(this.dir.file('verdaccio.log'), 'a');
    const child = await this.spawnChild(
      process.execPath,
      [
        join(ROOT, 'node_modules', 'verdaccio', 'bin', 'verdaccio'),
        '--config',
        this.config,
        '--listen',
        `127.0.0.1:${this.port}`,
      ],
      ['ignore', log, log],
    );
    await waitFor(
      `Verdaccio to answer on ${this.port}`,
      async () => {
        if (!running(child)) {
          const output = await readFile(this.dir.file('verdaccio.log'), 'utf8').catch(() => '');
          throw new Error(`verdaccio exited (${child.exitCode}): ${output}`);
        }
        if (!(await tcpAccepts(this.port))) return undefined;
        return (await fetch(`${this.url}-/ping`)).ok ? true : undefined;
      },
      { timeoutMs: BOOT_TIMEOUT_MS, intervalMs: 250 },
    );
  }

  /** Registers a user (`PUT /-/user/org.couchdb.user:NAME`) and returns its token. */
  async addUser(name: string): Promise<string> {
    const answer = await fetch(`${this.url}-/user/org.couchdb.user:${encodeURIComponent(name)}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name, password: randomBytes(12).toString('hex') }),
    });
    const body = (await answer.json()) as { token?: string; error?: string };
    if (!answer.ok || !body.token) {
      throw new Error(`Verdaccio refused user ${name}: ${answer.status} ${JSON.stringify(body)}`);
    }
    return body.token;
  }

  /** The `.npmrc` line that authenticates `token` on this registry. */
  authTokenLine(token: string): string {
    return `//127.0.0.1:${this.port}/:_authToken=${token}`;
  }
}

/**
 * MailDev, the mail catcher `npm run stack:up` runs, from node_modules with the same loopback
 * binding, on ports of its own: the shared one on 1025 holds whatever else was sent there.
 */
export class PrivateMailDev extends ChildProcessService {
  private constructor(
    readonly smtpPort: number,
    readonly webPort: number,
    dir: WorkDir,
  ) {
    super(dir);
  }

  static async create(): Promise<PrivateMailDev> {
    const maildev = new PrivateMailDev(
      await freePort(),
      await freePort(),
      await WorkDir.create('maildev'),
    );
    return firstBoot(maildev, () => maildev.start());
  }

  get smtpUrl(): string {
    return `smtp://127.0.0.1:${this.smtpPort}`;
  }

  /** The web UI, and its REST API under `/api`. */
  get webUrl(): string {
    return `http://127.0.0.1:${this.webPort}`;
  }

  async start(): Promise<void> {
    const log = openSync(this.dir.file('maildev.log'), 'a');
    const child = await this.spawnChild(
      process.execPath,
      [
        join(ROOT, 'node_modules', '.bin', 'maildev'),
        ...['--ip', '127.0.0.1', '--smtp', String(this.smtpPort)],
        ...['--web-ip', '127.0.0.1', '--web', String(this.webPort)],
      ],
      ['ignore', log, log],
    );
    await waitFor(
      `MailDev to answer on ${this.smtpPort} and ${this.webPort}`,
      async () => {
        if (!running(child)) {
          const output = await readFile(this.dir.file('maildev.log'), 'utf8').catch(() => '');
          throw new Error(`maildev exited (${child.exitCode}): ${output}`);
        }
        if (!(await tcpAccepts(this.smtpPort))) return undefined;
        return (await fetch(`${this.webUrl}/api/healthz`)).ok ? true : undefined;
      },
      { timeoutMs: BOOT_TIMEOUT_MS, intervalMs: 250 },
    );
  }
}

/** All four, started at once (RabbitMQ's boot is the longest). */
export interface PrivateStack {
  redis: PrivateRedis;
  postgres: PrivatePostgres;
  kafka: PrivateKafka;
  rabbitmq: PrivateRabbitmq;
  destroy(): Promise<void>;
}

export async function startPrivateStack(): Promise<PrivateStack> {
  const started = await Promise.allSettled([
    PrivateRedis.create(),
    PrivatePostgres.create(),
    PrivateKafka.create(),
    PrivateRabbitmq.create(),
  ]);
  const services = started.flatMap((result) =>
    result.status === 'fulfilled' ? [result.value] : [],
  );
  const destroy = async () => {
    await Promise.all(services.map((service) => service.destroy()));
  };
  const failures = started.flatMap((result) =>
    result.status === 'rejected' ? [(result.reason as Error).message] : [],
  );
  if (failures.length > 0) {
    await destroy();
    throw new Error(`private services did not start:\n${failures.join('\n')}`);
  }
  const [redis, postgres, kafka, rabbitmq] = services as [
    PrivateRedis,
    PrivatePostgres,
    PrivateKafka,
    PrivateRabbitmq,
  ];
  return { redis, postgres, kafka, rabbitmq, destroy };
}
