import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { TestSchema } from '@signal/persistence/testing/test-schema';
import { TEST_API_KEY, TEST_JWT_SECRET } from '../../test/support/tokens';
import { TestServices } from '../../test/support/test-services';
import { ClientPool, PhaseSummary } from './client-pool';
import { EmitDriver, sendAsFastAsPossible, sendAtFixedRate, sendBroadcasts } from './emitter';
import { PHASE_TOPICS } from './protocol';
import {
  cpuProfileArgs,
  PhaseWindows,
  profileClockUs,
  writePhaseWindows,
} from '../profile/cpu-profile';
import { freePort, ServerProcess, startServer } from '../support/server-process';
import { pidsOf } from '../support/proc-cpu';
import {
  cpuPercent,
  CpuSnapshot,
  cpuSnapshot,
  maxOf,
  percentile,
  percentilePerSecond,
  ProcessGroups,
  round,
  rssKb,
} from '../support/stats';

export type Target = 'signal' | 'reference';

export interface BenchOptions {
  clients: number[];
  targets: Target[];
  rate: number;
  seconds: number;
  workers: number;
  /** Handshakes in flight over all workers. */
  connectConcurrency: number;
  burst: number;
  /** Rounds the throughput phase's burst is split into, alternating between the targets. */
  rounds: number;
  concurrency: number;
  broadcasts: number;
  broadcastIntervalMs: number;
  /** Emits sent (unmeasured) before the first measured phase, so JIT compilation is done. */
  warmup: number;
  out: string;
}

/** Everything measured for one server at one client count; snake_case because it is the JSON. */
export interface TargetResult {
  clients: number;
  connected: number;
  connect_failed: number;
  connect_errors: string[];
  /** Sockets still connected after the last phase, and disconnections seen during the run. */
  held: number;
  disconnects: number;
  connect_ms: number;
  connect_p50_ms: number | null;
  connect_p99_ms: number | null;
  rss_before_kb: number;
  rss_after_kb: number;
  rss_per_conn_kb: number | null;
  targeted: {
    rate_per_s: number;
    seconds: number;
    sent: number;
    failed: number;
    delivered: number;
    achieved_rate_per_s: number | null;
    p50_ms: number | null;
    p99_ms: number | null;
    max_ms: number | null;
    /** Round trip of the emit request (POST to 202): the server's intake, without delivery. */
    ack_p50_ms: number | null;
    ack_p99_ms: number | null;
    /** p99 of what was sent in each second of the phase: a transient or a sustained backlog. */
    p99_ms_per_second: (number | null)[];
    per_s: number | null;
    throughput: {
      concurrency: number;
      rounds: number;
      sent: number;
      failed: number;
      delivered: number;
      seconds: number | null;
      per_s: number | null;
      per_s_by_round: (number | null)[];
      p50_ms: number | null;
      p99_ms: number | null;
      /** The server's CPU in this phase, and deliveries per second of it: a figure the shared cores skew less. */
      server_cpu_pct: number;
      per_server_cpu_s: number | null;
    };
  };
  broadcast: {
    broadcasts: number;
    clients: number;
    expected: number;
    delivered: number;
    clients_complete: number;
    delivered_all: boolean;
    p50_ms: number | null;
    p99_ms: number | null;
    max_ms: number | null;
  };
  /** CPU per phase in % of one core (this machine has `machine.cpus` of them). */
  cpu_pct: Record<string, Record<string, number>>;
}

const DRAIN_TIMEOUT_MS = 15_000;
/** Emit requests in flight at most in the fixed-rate phase; also the size of the connection pool. */
const FIXED_RATE_MAX_IN_FLIGHT = 256;
const CONNECT_TIMEOUT_MS = 180_000;
const RATE_WARM_UP_SECONDS = 2;
const WARM_UP_TOPIC = 'bench/fanout/warmup';

/** One server under test with its own client pool and emitter, open for the whole run. */
interface Rig extends PhaseContext {
  target: Target;
  profileName: string;
  cpu: TargetResult['cpu_pct'];
}

/**
 * Boots every target on a free port, each with its own clients: connects, warms up and measures
 * the fixed rate of one target, then the next's; with all of them still connected, the throughput
 * phase alternates rounds between them (see {@link throughputRounds}), then each gets its
 * broadcasts. Stops them all at the end, also on failure.
 */
export async function measureTargets(
  targets: Target[],
  clients: number,
  options: BenchOptions,
  schema: TestSchema,
): Promise<Map<Target, TargetResult>> {
  const rigs: Rig[] = [];
  try {
    for (const target of targets) rigs.push(await openRig(target, clients, options, schema));
    const connects = new Map<Rig, Awaited<ReturnType<typeof connectResult>>>();
    const fixed = new Map<Rig, Awaited<ReturnType<typeof fixedRatePhase>>>();
    // Each target's fixed rate right after its own clients connect, before the next target's: as
    // when each ran alone, neither is measured during the other's or its own wave of Engine.IO
    // pings (25 s after a burst of 10,000 connections, a ping for each within a few seconds).
    for (const rig of rigs) {
      await rig.pool.prepare(clients);
      const rssBefore = rssKb(rig.server.pid);
      const connected = await measured(rig, 'connect', () => connectPhase(rig));
      connects.set(rig, await connectResult(rig, connected, rssBefore));
      await warmUp(rig);
      fixed.set(rig, await measured(rig, 'fixed_rate', () => fixedRatePhase(rig)));
    }
    const throughput = await throughputRounds(rigs);
    const results = new Map<Target, TargetResult>();
    for (const rig of rigs) {
      const broadcast = await measured(rig, 'broadcast', () => broadcastPhase(rig));
      const burst = throughput.get(rig)!;
      const serverCpu = rig.cpu.throughput.server;
      results.set(rig.target, {
        ...connects.get(rig)!,
        held: broadcast.summary.connected,
        disconnects: broadcast.summary.disconnects,
        targeted: {
          ...fixed.get(rig)!,
          per_s: burst.per_s,
          throughput: {
            ...burst,
            server_cpu_pct: serverCpu,
            per_server_cpu_s:
              burst.per_s && serverCpu > 0 ? Math.round(burst.per_s / (serverCpu / 100)) : null,
          },
        },
        broadcast: broadcast.result,
        cpu_pct: rig.cpu,
      });
      writePhaseWindows(rig.profileName, rig.phases);
    }
    return results;
  } catch (error) {
    for (const rig of rigs) {
      console.error(`${rig.target} ${clients}: failed; server output:\n${rig.server.output()}`);
    }
    throw error;
  } finally {
    for (const rig of rigs) {
      rig.driver.close();
      await rig.pool.close();
      await rig.server.stop();
    }
  }
}

async function openRig(
  target: Target,
  clients: number,
  options: BenchOptions,
  schema: TestSchema,
): Promise<Rig> {
  const log = (line: string) => console.log(`${target} ${clients}: ${line}`);
  const profileName = `${target}-${clients}`;
  const server = await startTarget(target, schema, cpuProfileArgs(profileName));
  log(`server up (pid ${server.pid}, ${server.url})`);
  const driver = new EmitDriver(server.url, TEST_API_KEY, poolSize(options));
  try {
    const pool = await ClientPool.start(options.workers);
    const groups: ProcessGroups = {
      server: [server.pid],
      generator: [process.pid, ...pool.pids],
      redis: pidsOf('redis-server').slice(0, 1),
    };
    return {
      target,
      profileName,
      server,
      driver,
      pool,
      groups,
      clients,
      options,
      log,
      phases: {},
      cpu: {},
    };
  } catch (error) {
    driver.close();
    await server.stop();
    throw error;
  }
}

/** Runs `work` as `phase` of `rig`: its CPU per process group, and where it is in a profile. */
async function measured<T>(rig: Rig, phase: string, work: () => Promise<T>): Promise<T> {
  const before = cpuSnapshot(rig.groups);
  const startedUs = profileClockUs();
  const result = await work();
  rig.phases[phase] = [startedUs, profileClockUs()];
  rig.cpu[phase] = cpuPercent(before, cpuSnapshot(rig.groups));
  return result;
}

/** `nodeFlags` go before the script, e.g. `--cpu-prof` (see bench/profile/cpu-profile.ts). */
async function startTarget(
  target: Target,
  schema: TestSchema,
  nodeFlags: string[],
): Promise<ServerProcess> {
  const env = {
    REDIS_URL: TestServices.redisUrl,
    // Its own Redis channels, so no other run or test receives these emits.
    SOCKET_IO_REDIS_KEY: `bench.fanout.${target}.${randomBytes(4).toString('hex')}`,
    SIGNAL_JWT_SECRET: TEST_JWT_SECRET,
    SIGNAL_API_KEYS: TEST_API_KEY,
  };
  const port = await freePort();
  if (target === 'reference') {
    return startServer(
      [
        ...nodeFlags,
        '-r',
        'ts-node/register/transpile-only',
        '-r',
        'tsconfig-paths/register',
        'bench/fanout/bare-socketio-server.ts',
      ],
      env,
      port,
    );
  }
  return startServer(
    [...nodeFlags, 'dist/apps/signal/main.js'],
    {
      ...env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATABASE_URL: schema.options.url,
      DATABASE_SCHEMA: schema.options.schema,
      KAFKA_ENABLED: 'false',
      RABBITMQ_ENABLED: 'false',
    },
    port,
  );
}

interface PhaseContext {
  pool: ClientPool;
  server: ServerProcess;
  driver: EmitDriver;
  groups: ProcessGroups;
  clients: number;
  options: BenchOptions;
  log: (line: string) => void;
  /** Filled in as phases run: where each is in a CPU profile of the server. */
  phases: PhaseWindows;
}

async function connectPhase(ctx: PhaseContext) {
  const startedAt = Date.now();
  const summary = await ctx.pool.connect(
    ctx.server.url,
    Math.max(1, Math.floor(ctx.options.connectConcurrency / ctx.options.workers)),
    CONNECT_TIMEOUT_MS,
    (connected, failed) => ctx.log(`connected ${connected}/${ctx.clients} (${failed} failed)`),
  );
  return { summary, connectMs: Date.now() - startedAt };
}

/** Server memory before and after connecting, the after 1 s later: the handshake burst's garbage is not per-connection memory. */
async function connectResult(
  ctx: PhaseContext,
  { summary, connectMs }: Awaited<ReturnType<typeof connectPhase>>,
  rssBefore: number,
) {
  await sleep(1_000);
  const rssAfter = rssKb(ctx.server.pid);
  ctx.log(
    `connected ${summary.connected}/${ctx.clients} in ${connectMs} ms` +
      (summary.failed > 0 ? ` (${summary.failed} failed: ${summary.errors.join('; ')})` : '') +
      `; server RSS ${Math.round(rssBefore / 1024)} -> ${Math.round(rssAfter / 1024)} MiB`,
  );
  return {
    clients: ctx.clients,
    connected: summary.connected,
    connect_failed: summary.failed,
    connect_errors: summary.errors,
    connect_ms: connectMs,
    connect_p50_ms: round(percentile(summary.connectMs, 0.5)),
    connect_p99_ms: round(percentile(summary.connectMs, 0.99)),
    rss_before_kb: rssBefore,
    rss_after_kb: rssAfter,
    rss_per_conn_kb:
      summary.connected > 0 ? round((rssAfter - rssBefore) / summary.connected) : null,
  };
}

const poolSize = (options: BenchOptions) => Math.max(options.concurrency, FIXED_RATE_MAX_IN_FLIGHT);

/**
 * Nest's emit path runs cold for its first few thousand requests (seconds-long tails at
 * 2,000/s right after boot); steady state is what is compared, so both servers are warmed
 * alike, on a topic no client listens to, opening every pooled connection on the way. Then
 * `RATE_WARM_UP_SECONDS` at the fixed rate, unmeasured, straight into the measured seconds:
 * after the burst and a pause, a server's first half second at a steady rate ran at a full core
 * where it then needs about half of one (per-process CPU every 100 ms, both servers), and its
 * queue made that second's p99 70–220 ms.
 */
async function warmUp(ctx: PhaseContext): Promise<void> {
  const startedAt = Date.now();
  const sent = await sendAsFastAsPossible(ctx.driver, WARM_UP_TOPIC, {
    total: ctx.options.warmup,
    clients: ctx.clients,
    concurrency: poolSize(ctx.options),
  });
  ctx.log(`warm-up: ${sent.accepted} emits in ${Date.now() - startedAt} ms (not measured)`);
  // Its tail (frames still being written and read, the garbage of 10,000 emits) lands in these
  // unmeasured seconds, which take the place of a pause: the measured ones still end before the
  // clients' first Engine.IO ping wave.
  const atRate = await sendAtFixedRate(ctx.driver, WARM_UP_TOPIC, {
    rate: ctx.options.rate,
    seconds: RATE_WARM_UP_SECONDS,
    clients: ctx.clients,
    maxInFlight: FIXED_RATE_MAX_IN_FLIGHT,
  });
  ctx.log(
    `warm-up at ${ctx.options.rate}/s: ${atRate.accepted} emits in ${RATE_WARM_UP_SECONDS} s (not measured)`,
  );
}

async function fixedRatePhase(ctx: PhaseContext) {
  const { rate, seconds } = ctx.options;
  await ctx.pool.startPhase('fixed');
  const sent = await sendAtFixedRate(ctx.driver, PHASE_TOPICS.fixed, {
    rate,
    seconds,
    clients: ctx.clients,
    maxInFlight: FIXED_RATE_MAX_IN_FLIGHT,
  });
  const got = await drainAndCollect(ctx, sent.accepted, 1);
  const achieved = sent.sendSeconds > 0 ? Math.round(sent.issued / sent.sendSeconds) : null;
  const result = {
    rate_per_s: rate,
    seconds,
    sent: sent.accepted,
    failed: sent.failed,
    delivered: got.received,
    achieved_rate_per_s: achieved,
    ...latencies(got.latenciesMs),
    ack_p50_ms: round(percentile(sent.ackMs, 0.5)),
    ack_p99_ms: round(percentile(sent.ackMs, 0.99)),
    p99_ms_per_second: percentilePerSecond(got.sentAt, got.latenciesMs, sent.firstSentAt, 0.99),
  };
  ctx.log(
    `fixed rate ${rate}/s for ${seconds} s: sent ${result.sent} (achieved ${achieved}/s, ` +
      `${result.failed} failed), delivered ${result.delivered}, p50 ${result.p50_ms} ms, p99 ${result.p99_ms} ms, ` +
      `POST round trip p50 ${result.ack_p50_ms} ms, p99 ${result.ack_p99_ms} ms ` +
      `(p99 by second sent: ${result.p99_ms_per_second.join(', ')})`,
  );
  return result;
}

/**
 * The throughput phase: `burst` targeted emits per target, `concurrency` in flight, as fast as
 * answered, in `rounds` rounds that alternate between the targets. Each target's figure is over
 * its own rounds, so a minute in which the shared machine is slower weighs on both alike instead
 * of on whichever target ran in it. Its profile window spans all rounds (the server idles in the
 * others' rounds, which profiles count as idle, not busy).
 */
async function throughputRounds(rigs: Rig[]) {
  const rounds = Math.max(1, rigs[0].options.rounds);
  const perRound = Math.ceil(rigs[0].options.burst / rounds);
  const parts = new Map(rigs.map((rig) => [rig, [] as ThroughputRound[]]));
  const windows = new Map(rigs.map((rig) => [rig, [] as [CpuSnapshot, CpuSnapshot][]]));
  const startedUs = profileClockUs();
  for (let round = 0; round < rounds; round += 1) {
    for (const rig of rigs) {
      const before = cpuSnapshot(rig.groups);
      parts.get(rig)!.push(await throughputRound(rig, perRound));
      windows.get(rig)!.push([before, cpuSnapshot(rig.groups)]);
    }
  }
  const endedUs = profileClockUs();
  const results = new Map<Rig, ReturnType<typeof throughputOf>>();
  for (const rig of rigs) {
    rig.phases.throughput = [startedUs, endedUs];
    rig.cpu.throughput = cpuOverWindows(windows.get(rig)!);
    const result = throughputOf(rig, parts.get(rig)!);
    rig.log(
      `throughput (${result.concurrency} in flight, ${rounds} rounds): sent ${result.sent}, ` +
        `delivered ${result.delivered} in ${result.seconds} s = ${result.per_s}/s ` +
        `(by round: ${parts.get(rig)!.map(perSecondOf).join(', ')}/s), ` +
        `p50 ${result.p50_ms} ms, p99 ${result.p99_ms} ms`,
    );
    results.set(rig, result);
  }
  return results;
}

interface ThroughputRound {
  sent: number;
  failed: number;
  delivered: number;
  seconds: number;
  latenciesMs: number[];
}

async function throughputRound(ctx: PhaseContext, total: number): Promise<ThroughputRound> {
  await ctx.pool.startPhase('throughput');
  const sent = await sendAsFastAsPossible(ctx.driver, PHASE_TOPICS.throughput, {
    total,
    clients: ctx.clients,
    concurrency: ctx.options.concurrency,
  });
  const got = await drainAndCollect(ctx, sent.accepted, 1);
  return {
    sent: sent.accepted,
    failed: sent.failed,
    delivered: got.received,
    seconds: got.lastReceivedAt > 0 ? (got.lastReceivedAt - sent.firstSentAt) / 1000 : 0,
    latenciesMs: got.latenciesMs,
  };
}

const perSecondOf = ({ delivered, seconds }: ThroughputRound) =>
  seconds > 0 ? Math.round(delivered / seconds) : null;

function throughputOf(ctx: PhaseContext, rounds: ThroughputRound[]) {
  const sum = (pick: (round: ThroughputRound) => number) =>
    rounds.reduce((total, round) => total + pick(round), 0);
  const seconds = sum((r) => r.seconds);
  const { p50_ms, p99_ms } = latencies(rounds.flatMap((r) => r.latenciesMs));
  return {
    concurrency: ctx.options.concurrency,
    rounds: rounds.length,
    sent: sum((r) => r.sent),
    failed: sum((r) => r.failed),
    delivered: sum((r) => r.delivered),
    seconds: round(seconds, 2),
    per_s: seconds > 0 ? Math.round(sum((r) => r.delivered) / seconds) : null,
    per_s_by_round: rounds.map(perSecondOf),
    p50_ms,
    p99_ms,
  };
}

/** CPU over several windows, as if they were one phase as long as all of them together. */
function cpuOverWindows(windows: [CpuSnapshot, CpuSnapshot][]): Record<string, number> {
  const total: CpuSnapshot = { at: 0, ms: {} };
  for (const [before, after] of windows) {
    total.at += after.at - before.at;
    for (const [name, ms] of Object.entries(after.ms)) {
      total.ms[name] = (total.ms[name] ?? 0) + ms - (before.ms[name] ?? 0);
    }
  }
  return cpuPercent({ at: 0, ms: {} }, total);
}

async function broadcastPhase(ctx: PhaseContext) {
  const { broadcasts, broadcastIntervalMs } = ctx.options;
  await ctx.pool.startPhase('broadcast');
  const sent = await sendBroadcasts(ctx.driver, PHASE_TOPICS.broadcast, {
    count: broadcasts,
    intervalMs: broadcastIntervalMs,
  });
  const expected = sent.accepted * ctx.clients;
  const summary = await drainAndCollect(ctx, expected, broadcasts);
  const result = {
    broadcasts: sent.accepted,
    clients: ctx.clients,
    expected,
    delivered: summary.received,
    clients_complete: summary.clientsComplete,
    delivered_all:
      sent.accepted === broadcasts &&
      summary.received === expected &&
      summary.clientsComplete === ctx.clients,
    ...latencies(summary.latenciesMs),
  };
  ctx.log(
    `${result.broadcasts} broadcasts: delivered ${result.delivered}/${expected}, ` +
      `${result.clients_complete} clients got all, p50 ${result.p50_ms} ms, p99 ${result.p99_ms} ms`,
  );
  return { result, summary };
}

/** Waits (bounded) for `expected` events, then gathers what arrived: a shortfall is reported, not waited out. */
async function drainAndCollect(
  ctx: PhaseContext,
  expected: number,
  expectedPerClient: number,
): Promise<PhaseSummary> {
  const received = await ctx.pool.waitForReceived(expected, DRAIN_TIMEOUT_MS);
  if (received < expected) {
    ctx.log(`only ${received}/${expected} delivered after waiting ${DRAIN_TIMEOUT_MS} ms`);
  }
  return ctx.pool.collect(expectedPerClient);
}

function latencies(values: number[]) {
  return {
    p50_ms: round(percentile(values, 0.5)),
    p99_ms: round(percentile(values, 0.99)),
    max_ms: round(maxOf(values)),
  };
}
