import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Agent, createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs, promisify } from 'node:util';
import { NotificationCenterRecordPayload, NotificationWebSocketTopics } from '@signal/core';
import { TEST_DATABASE_URL } from '@signal/persistence/testing/test-schema';
import axios from 'axios';
import { Kafka, logLevel } from 'kafkajs';
import pLimit from 'p-limit';
import { PHXPushNotificationService } from 'phx-node';
import { DataSource } from 'typeorm';
import { connectBenchUsers, waitUntil } from '../support/bench-users';
import {
  cpuProfileArgs,
  PhaseWindows,
  profileClockUs,
  writePhaseWindows,
} from '../profile/cpu-profile';
import { CpuPerUnit, measureCpu } from '../support/proc-cpu';
import { sourceRevision } from '../support/run-facts';
import { ROOT, ServerProcess, startBuiltSignal } from '../support/server-process';
import { measureSteal, percentile, round } from '../support/stats';
import { BENCH_ACTION_CODE, BENCH_APP, benchNotification } from './notification';
import { startChannelSinks } from './channel-sinks';
import { startReferenceServer } from './reference-process';

const SECRET = 'bench-phx-jwt-secret-0123456789';
const API_KEY = 'bench-phx-api-key-0123456789';
const { values: args } = parseArgs({
  options: {
    sends: { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '64' },
    users: { type: 'string', default: '100' },
    rate: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '10' },
    overhead: { type: 'string', default: '5000' },
    channels: { type: 'string', default: 'push,email,in_app' },
    // Another checkout's build (`npm run build` there) to measure instead of this one's.
    'app-root': { type: 'string', default: ROOT },
    out: { type: 'string', default: join(ROOT, 'bench', 'results', 'phx.json') },
  },
});
const SENDS = Number(args.sends);
const CONCURRENCY = Number(args.concurrency);
const USERS = Number(args.users);
const RATE = Number(args.rate);
const SECONDS = Number(args.seconds);
const OVERHEAD_CALLS = Number(args.overhead);
const CHANNELS = args.channels.split(',');
const APP_ROOT = resolve(args['app-root']);
const OUT = resolve(args.out);
const run = `bench_phx_${Date.now().toString(36)}`;
// Above this share of stolen CPU time a phase ran on a noticeably slower machine.
const STEAL_WARNING_PCT = 5;
const say = (line: string) => console.log(`==> ${line}`);

const payload = (n: number, sentAt = 0) => benchNotification(n, USERS, sentAt);

/** Stand-ins for the outside world on loopback, counting what they receive. */
async function startSinks() {
  const counts = { pushes: 0, emails: 0 };
  return { counts, ...(await startChannelSinks(counts)) };
}

/** One socket per user: each record-created event is the moment its record was persisted. */
async function connectUsers(url: string) {
  const state = { records: 0, latencies: [] as number[] };
  const users = await connectBenchUsers(url, SECRET, USERS, (socket) =>
    socket.on(
      NotificationWebSocketTopics.NOTIFICATION_CENTER_RECORD_CREATED,
      (record: NotificationCenterRecordPayload) => {
        state.records++;
        // The bench's own payloads are objects carrying `sentAt`.
        const sentAt = Number((record.payload as { sentAt?: unknown }).sentAt);
        if (sentAt > 0) state.latencies.push(performance.timeOrigin + performance.now() - sentAt);
      },
    ),
  );
  return { state, close: users.close };
}

/**
 * The library's own cost: `send()` against a loopback server that answers at once, minus a bare
 * keep-alive axios POST of the same body to the same server, interleaved so noise hits both.
 */
async function measureLibraryOverhead(): Promise<{ library_us: number; bare_us: number }> {
  const answer = JSON.stringify({ status: 'accepted', message: 'ok', id: 'bench' });
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () =>
      response.writeHead(202, { 'content-type': 'application/json' }).end(answer),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const library = new PHXPushNotificationService({ producerUrl: url, apiKey: API_KEY });
  const agent = new Agent({ keepAlive: true });
  const bare = axios.create({ httpAgent: agent, headers: { 'x-api-key': API_KEY } });
  const timings = { library: [] as number[], bare: [] as number[] };
  try {
    for (let i = 0; i < OVERHEAD_CALLS; i++) {
      const body = payload(i);
      let started = performance.now();
      await library.send(body);
      timings.library.push(performance.now() - started);
      started = performance.now();
      await bare.post(`${url}/emit/inapp-noti`, body, { headers: { 'idempotency-key': `b${i}` } });
      timings.bare.push(performance.now() - started);
    }
  } finally {
    library.onModuleDestroy();
    agent.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
  // Medians: a GC pause or a neighbour's burst should not decide the figure.
  return {
    library_us: (percentile(timings.library, 0.5) ?? 0) * 1000,
    bare_us: (percentile(timings.bare, 0.5) ?? 0) * 1000,
  };
}

/**
 * The built app on a free port, on its own schema and PHX topic; with `BENCH_CPU_PROF_DIR` set,
 * profiled as `name` (through NODE_OPTIONS: the entry point may be another checkout's).
 */
async function startApp(
  schema: string,
  topic: string,
  sinks: { webhookUrl: string; smtpUrl: string },
  name: string,
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  const profile = cpuProfileArgs(name);
  return startBuiltSignal(
    schema,
    {
      KAFKA_TOPIC_PHX_PUSH: topic,
      APP_ENV_KAFKA_GROUP_ID: `bench-phx-${schema}`,
      SIGNAL_JWT_SECRET: SECRET,
      SIGNAL_API_KEYS: API_KEY,
      PUSH_PROVIDER: 'webhook',
      PUSH_WEBHOOK_URL: sinks.webhookUrl,
      SMTP_URL: sinks.smtpUrl,
      ...(profile.length > 0 ? { NODE_OPTIONS: profile.join(' ') } : {}),
      ...env,
    },
    { appRoot: APP_ROOT },
  );
}

/** The schema as the measured build's own migrations (`main.js migrate`) make it. */
async function migrate(schema: string): Promise<void> {
  await promisify(execFile)(
    process.execPath,
    [join(APP_ROOT, 'dist/apps/signal/main.js'), 'migrate'],
    {
      cwd: APP_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        DATABASE_URL: TEST_DATABASE_URL,
        DATABASE_SCHEMA: schema,
        SIGNAL_JWT_SECRET: SECRET,
        SIGNAL_API_KEYS: API_KEY,
      },
    },
  );
}

/**
 * The CPU reference of the same run: the same sends through phx-node to a bare Fastify server
 * that inserts each as one row with `pg` (reference-server.ts): its CPU and PostgreSQL's per send.
 */
async function referenceCpu(schema: string) {
  const server = await startReferenceServer(schema, 'each');
  const client = new PHXPushNotificationService({ producerUrl: server.url, apiKey: API_KEY });
  try {
    const cpu = measureCpu(server.pid);
    const { accepted, perS } = await acceptRate(client);
    return { per_s: Math.round(perS), cpu: cpu.perUnit(accepted) };
  } finally {
    client.onModuleDestroy();
    await server.stop();
  }
}

/** The bench's action code with the channels asked for, and (for delivery) a device per user. */
async function configure(url: string, { devices }: { devices: boolean }): Promise<void> {
  const adminApi = axios.create({ baseURL: url, headers: { 'x-api-key': API_KEY } });
  await adminApi.put(`/admin/notification-settings/${BENCH_ACTION_CODE}`, {
    enabled: true,
    channels: CHANNELS,
    critical: false,
  });
  for (let i = 0; devices && i < USERS; i++) {
    await adminApi.post(`/admin/users/bench-user-${i}/devices`, {
      app: BENCH_APP,
      token: `bench-device-${i}`,
    });
  }
}

/** `SENDS` sends through phx-node, `CONCURRENCY` in flight: accepted answers per second. */
async function acceptRate(sender: PHXPushNotificationService, onAccepted = () => {}) {
  const limit = pLimit(CONCURRENCY);
  let accepted = 0;
  const startedAt = performance.now();
  await Promise.all(
    Array.from({ length: SENDS }, (_, n) =>
      limit(async () => {
        if ((await sender.send(payload(n))).status === 'accepted') {
          accepted++;
          onAccepted();
        }
      }),
    ),
  );
  return { accepted, perS: accepted / ((performance.now() - startedAt) / 1000), startedAt };
}

/**
 * The reference of the same run: the Producer alone (`KAFKA_ENABLED=false`, so no Consumer in the
 * process; its own schema and topic), so that accepting does not share the 2 cores with delivery.
 */
async function producerOnlyRate(topic: string, sinks: Parameters<typeof startApp>[2]) {
  const schema = `${run}_producer`;
  await migrate(schema);
  const app = await startApp(schema, `${topic}.producer-only`, sinks, 'phx-producer-only', {
    KAFKA_ENABLED: 'false',
  });
  const client = new PHXPushNotificationService({ producerUrl: app.url, apiKey: API_KEY });
  try {
    await configure(app.url, { devices: false });
    const cpu = measureCpu(app.pid);
    const { accepted, perS } = await acceptRate(client);
    return { perS, cpu: cpu.perUnit(accepted) };
  } finally {
    client.onModuleDestroy();
    await app.stop();
  }
}

async function main(): Promise<void> {
  // Now, right after the build: the checkout may change while the bench runs.
  const source = sourceRevision(APP_ROOT);
  say(`library overhead: ${OVERHEAD_CALLS} sends vs bare POSTs to a loopback server`);
  const overhead = await measureLibraryOverhead();

  const topic = `bench.phx.${run}`;
  const kafka = new Kafka({
    clientId: 'bench-phx',
    brokers: ['127.0.0.1:9092'],
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 3 }] });
  await migrate(run);
  const sinks = await startSinks();
  let server: ServerProcess | undefined;
  let users: Awaited<ReturnType<typeof connectUsers>> | undefined;
  let client: PHXPushNotificationService | undefined;
  try {
    say(`producer alone: ${SENDS} sends, ${CONCURRENCY} in flight, no Consumer in the app`);
    const producerOnlySteal = measureSteal();
    const producerOnly = await producerOnlyRate(topic, sinks);
    const producerOnlyPerS = producerOnly.perS;
    const steal = { producer_only: producerOnlySteal(), throughput: 0, latency: 0 };
    say(`producer alone: ${Math.round(producerOnlyPerS)} accepted/s`);

    say(`reference: ${SENDS} sends to a bare Fastify + pg insert server`);
    const reference = await referenceCpu(`${run}_reference`);
    say(`reference: ${reference.cpu.total_us} CPU-µs per send`);

    server = await startApp(run, topic, sinks, 'phx-app');
    const phases: PhaseWindows = {};
    await configure(server.url, { devices: true });
    users = await connectUsers(server.url);
    client = new PHXPushNotificationService({ producerUrl: server.url, apiKey: API_KEY });
    const sender = client;
    const state = users.state;

    say(`throughput: ${SENDS} sends through phx-node, ${CONCURRENCY} in flight`);
    let acceptedSoFar = 0;
    const progress = setInterval(
      () => say(`throughput: ${acceptedSoFar}/${SENDS} accepted, ${state.records} records`),
      2000,
    );
    const throughputSteal = measureSteal();
    const throughputCpu = measureCpu(server.pid);
    const throughputStartUs = profileClockUs();
    const { accepted, perS, startedAt } = await acceptRate(sender, () => acceptedSoFar++);
    steal.throughput = throughputSteal();
    say(`throughput: ${accepted} accepted at ${Math.round(perS)}/s; waiting for the backlog`);
    // The latency phase must not compete with the throughput phase's deliveries.
    await waitUntil('every record of the backlog', () => state.records >= SENDS, 600_000);
    await waitUntil(
      'every push and e-mail of the backlog',
      () =>
        sinks.counts.pushes >= (CHANNELS.includes('push') ? SENDS : 0) &&
        sinks.counts.emails >= (CHANNELS.includes('email') ? SENDS : 0),
      600_000,
    );
    const drainedS = (performance.now() - startedAt) / 1000;
    const cpu: CpuPerUnit = throughputCpu.perUnit(SENDS);
    phases.throughput = [throughputStartUs, profileClockUs()];
    clearInterval(progress);
    say(
      `throughput: ${cpu.total_us} CPU-µs per notification (reference ${reference.cpu.total_us})`,
    );

    say(`latency: ${RATE}/s for ${SECONDS} s, send() → record persisted`);
    const latencySteal = measureSteal();
    const before = state.records;
    const pending: Promise<unknown>[] = [];
    const phaseStart = performance.now();
    const latencyStartUs = profileClockUs();
    for (let i = 0; i < RATE * SECONDS; i++) {
      const wait = phaseStart + (i * 1000) / RATE - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      const n = SENDS + i;
      pending.push(sender.send(payload(n, performance.timeOrigin + performance.now())));
      if (i % RATE === RATE - 1) say(`latency: ${i + 1}/${RATE * SECONDS} sent`);
    }
    await Promise.all(pending);
    await waitUntil('the paced records', () => state.records >= before + RATE * SECONDS, 120_000);
    phases.latency = [latencyStartUs, profileClockUs()];
    writePhaseWindows('phx-app', phases);
    steal.latency = latencySteal();

    const result = {
      app: { root: APP_ROOT, source },
      sends: SENDS,
      cpu_us_per_notification: cpu.total_us,
      cpu,
      // Accepting alone (its part of the figure above, give or take the Consumer sharing the cores).
      producer_only_cpu: producerOnly.cpu,
      reference: {
        cpu_us_per_notification: reference.cpu.total_us,
        cpu: reference.cpu,
        per_s: reference.per_s,
      },
      cpu_vs_reference: Math.round((cpu.total_us / reference.cpu.total_us) * 100) / 100,
      per_s: Math.round(perS),
      producer_only_per_s: Math.round(producerOnlyPerS),
      per_s_vs_producer_only: Math.round((perS / producerOnlyPerS) * 100) / 100,
      p50_ms: round(percentile(state.latencies, 0.5)),
      p99_ms: round(percentile(state.latencies, 0.99)),
      library_overhead_us: Math.round(overhead.library_us - overhead.bare_us),
      library: {
        send_p50_us: Math.round(overhead.library_us),
        bare_post_p50_us: Math.round(overhead.bare_us),
        calls: OVERHEAD_CALLS,
      },
      throughput: {
        concurrency: CONCURRENCY,
        users: USERS,
        accepted,
        delivered_all_channels_in_s: round(drainedS),
        delivered_per_s: Math.round(SENDS / drainedS),
      },
      latency: { rate_per_s: RATE, seconds: SECONDS, samples: state.latencies.length },
      channels: CHANNELS,
      targets: { per_s: 2000, p99_ms: 200 },
      notes:
        'per_s: accepted answers per second through phx-node to the built app (Producer: validate, persist, hand off to Kafka) while its Consumer delivers them. ' +
        'producer_only_per_s: the same sends to the app with its Consumer off (KAFKA_ENABLED=false), measured in the same run. ' +
        'p50/p99: send() start → the record-created socket event (emitted right after the record is persisted) at rate_per_s. ' +
        "cpu_us_per_notification: CPU time (/proc utime+stime) of the app process plus every PostgreSQL process (with the backends that exited, through the postmaster) over the throughput phase (first send until every channel delivered), per notification; cpu.postgres_own_backends_us is the part in the backends of the app's own connections (PostgreSQL is shared: other clients' work lands in postgres_us). " +
        'reference: the same sends to a bare Fastify server inserting one row per request with pg (bench/phx/reference-server.ts), same run; cpu_vs_reference = cpu_us_per_notification / reference.cpu_us_per_notification. ' +
        'library_overhead_us: median send() minus median bare keep-alive axios POST of the same body to a loopback server that answers at once. ' +
        'Every send goes through in-app, push (webhook on loopback) and e-mail (SMTP on loopback). ' +
        'machine.steal_pct: CPU time the hypervisor gave to other guests during each phase; figures of phases with much steal are not comparable with quiet runs.',
      machine: { cpus: cpus().length, node: process.version, steal_pct: steal },
      generated_at: new Date().toISOString(),
    };
    mkdirSync(dirname(OUT), { recursive: true });
    writeFileSync(OUT, `${JSON.stringify(result, null, 2)}\n`);
    console.table({
      'accepted sends/s': { measured: result.per_s, target: '≥ 2000' },
      'accepted sends/s, Consumer off': { measured: result.producer_only_per_s, target: '-' },
      [`send → record p50 ms @${RATE}/s`]: { measured: result.p50_ms, target: '-' },
      [`send → record p99 ms @${RATE}/s`]: { measured: result.p99_ms, target: '≤ 200' },
      'library overhead µs/call': { measured: result.library_overhead_us, target: '-' },
      // The same work on any run: how fast this shared machine was this time.
      'bare axios POST p50 µs (machine speed)': {
        measured: result.library.bare_post_p50_us,
        target: '-',
      },
      'all channels delivered /s': { measured: result.throughput.delivered_per_s, target: '-' },
      'app + PostgreSQL CPU-µs / notification': { measured: cpu.total_us, target: '-' },
      'reference (Fastify + pg insert) CPU-µs / send': {
        measured: reference.cpu.total_us,
        target: '-',
      },
      'CPU vs reference': { measured: result.cpu_vs_reference, target: '-' },
    });
    const worst = Math.max(...Object.values(steal));
    if (worst > STEAL_WARNING_PCT) {
      say(
        `WARNING: the hypervisor took up to ${worst} % of the CPU time (steal, machine.steal_pct): not comparable with a quiet run`,
      );
    }
    say(`wrote ${OUT}`);
  } catch (error) {
    if (server) console.error(`the app's last output:\n${server.output()}`);
    throw error;
  } finally {
    users?.close();
    client?.onModuleDestroy();
    await server?.stop();
    await sinks.close();
    await admin
      .deleteTopics({ topics: [topic, `${topic}.dlq`, `${topic}.producer-only`] })
      .catch(() => undefined);
    await admin.disconnect();
    const cleanup = new DataSource({ type: 'postgres', url: TEST_DATABASE_URL });
    await cleanup.initialize();
    for (const schema of [run, `${run}_producer`, `${run}_reference`]) {
      await cleanup.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    }
    await cleanup.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
