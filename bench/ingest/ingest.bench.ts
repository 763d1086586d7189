import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { NotificationWebSocketTopics } from '@signal/core';
import { buildDataSourceOptions, runMigrations } from '@signal/persistence';
import { TEST_DATABASE_URL } from '@signal/persistence/testing/test-schema';
import { Kafka, logLevel, Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import {
  cpuProfileArgs,
  PhaseWindows,
  profileClockUs,
  writePhaseWindows,
} from '../profile/cpu-profile';
import { connectBenchUsers, waitUntil } from '../support/bench-users';
import { ROOT, ServerProcess, startBuiltSignal } from '../support/server-process';
import { percentile, round } from '../support/stats';
import { measureGroupsCpu, PhaseCpu, pidsOf, postgresBackendsOf } from '../support/proc-cpu';
import { runSeedBaseline } from './seed-baseline';

const SECRET = 'bench-ingest-jwt-secret-0123456789';
const { values: args } = parseArgs({
  options: {
    messages: { type: 'string', default: '100000' },
    recipients: { type: 'string', default: '200' },
    rate: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '10' },
    baseline: { type: 'string', default: '20000' },
  },
});
const MESSAGES = Number(args.messages);
const RECIPIENTS = Number(args.recipients);
const RATE = Number(args.rate);
const SECONDS = Number(args.seconds);
const BASELINE = Number(args.baseline);
const run = `bench_ingest_${Date.now().toString(36)}`;
const say = (line: string) => console.log(`==> ${line}`);
const PROFILE_NAME = 'signal-ingest';

function message(n: number) {
  const recipient = `bench-user-${n % RECIPIENTS}`;
  return {
    key: recipient,
    value: JSON.stringify({
      eventType: 'PAYMENT_SUCCESS',
      recipientScope: 'users',
      recipientIds: [recipient],
      actorId: 'bench-actor',
      actor: { id: 'bench-actor', name: 'Chị Lan', type: 'parent' },
      organizerId: 'bench-org',
      data: { payment: { id: `p-${n}`, subject: 'Học phí' }, sentAt: Date.now() },
      occurredAt: new Date().toISOString(),
      eventId: `${run}-${n}`,
    }),
  };
}

async function produceAll(producer: Producer, topic: string, from: number, count: number) {
  for (let sent = 0; sent < count; sent += 2000) {
    const size = Math.min(2000, count - sent);
    await producer.send({
      topic,
      messages: Array.from({ length: size }, (_, index) => message(from + sent + index)),
    });
  }
}

/** One socket per recipient; counts pushes and records produce → receipt latency. */
async function connectRecipients(url: string) {
  const state = {
    received: 0,
    lastAt: 0,
    latencies: [] as number[],
    // Split at the insert's transaction start (`createdAt`, the database's clock, same machine).
    toInsert: [] as number[],
    fromInsert: [] as number[],
    recording: false,
  };
  const users = await connectBenchUsers(url, SECRET, RECIPIENTS, (socket) =>
    socket.on(
      NotificationWebSocketTopics.NOTIFICATION_CREATED,
      (payload: { data: { sentAt: number }; createdAt: string }) => {
        const now = Date.now();
        state.lastAt = now;
        state.received++;
        if (!state.recording) return;
        const insertedAt = Date.parse(payload.createdAt);
        state.latencies.push(now - payload.data.sentAt);
        state.toInsert.push(insertedAt - payload.data.sentAt);
        state.fromInsert.push(now - insertedAt);
      },
    ),
  );
  return { state, close: users.close };
}

async function main(): Promise<void> {
  const kafka = new Kafka({
    clientId: 'bench-ingest',
    brokers: ['127.0.0.1:9092'],
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  const producer = kafka.producer();
  await Promise.all([admin.connect(), producer.connect()]);
  const topic = `bench.ingest.${run}`;
  const baselineTopic = `${topic}.baseline`;
  await admin.createTopics({
    waitForLeaders: true,
    topics: [topic, baselineTopic].map((name) => ({ topic: name, numPartitions: 3 })),
  });
  const persistence = { url: TEST_DATABASE_URL, schema: run };
  await runMigrations(persistence);
  const dataSource = new DataSource({ ...buildDataSourceOptions(persistence), poolSize: 4 });
  await dataSource.initialize();
  const rows = async () =>
    Number(
      (
        await dataSource.query<{ n: string }[]>(`SELECT count(*) AS n FROM activity_notifications`)
      )[0].n,
    );
  let server: ServerProcess | undefined;
  let recipients: Awaited<ReturnType<typeof connectRecipients>> | undefined;
  try {
    server = await startBuiltSignal(
      run,
      {
        KAFKA_TOPIC_ACTIVITY_NOTIFICATION: topic,
        APP_ENV_KAFKA_GROUP_ID: `bench-ingest-${run}`,
        SIGNAL_JWT_SECRET: SECRET,
        SIGNAL_API_KEYS: 'bench-ingest-api-key-0123456789',
      },
      { nodeFlags: cpuProfileArgs(PROFILE_NAME) },
    );
    recipients = await connectRecipients(server.url);
    const state = recipients.state;
    const serverPid = server.pid;
    // The database, the broker and Redis are shared with whatever else runs: read their CPU next
    // to the wall-clock figures, not as this app's alone.
    const cpuGroups = {
      server: () => [serverPid],
      'postgres (app)': () => postgresBackendsOf(serverPid),
      'postgres (all)': () => pidsOf('postgres'),
      kafka: () => pidsOf('java'),
      redis: () => pidsOf('redis-server'),
      bench: () => [process.pid],
    };
    const phases: PhaseWindows = {};
    const cpu: Record<string, PhaseCpu> = {};
    // Producing outpaces consuming several times over, so the consumer is what is measured.
    say(
      `${RECIPIENTS} sockets connected; producing ${MESSAGES} messages to ${topic} (3 partitions)`,
    );
    const progress = setInterval(() => say(`pipeline: ${state.received}/${MESSAGES} pushed`), 2000);
    const startedAt = Date.now();
    const throughputStartUs = profileClockUs();
    const throughputCpu = measureGroupsCpu(cpuGroups);
    await produceAll(producer, topic, 0, MESSAGES);
    await waitUntil('every row', async () => (await rows()) >= MESSAGES, 300_000);
    const persistedAt = Date.now();
    await waitUntil('every push', () => state.received >= MESSAGES, 60_000);
    clearInterval(progress);
    cpu.throughput = throughputCpu();
    phases.throughput = [throughputStartUs, profileClockUs()];
    const batches = await batchStats(server.url);
    const elapsed = (Math.max(persistedAt, state.lastAt) - startedAt) / 1000;
    const perS = MESSAGES / elapsed;
    say(`pipeline: ${MESSAGES} rows persisted and pushed in ${elapsed.toFixed(1)} s`);

    say(`latency: ${RATE}/s for ${SECONDS} s`);
    state.recording = true;
    const before = state.received;
    const latencyStartUs = profileClockUs();
    const latencyCpu = measureGroupsCpu(cpuGroups);
    for (let second = 0; second < SECONDS; second++) {
      const tickStart = Date.now();
      for (let slice = 0; slice < 10; slice++) {
        await producer.send({
          topic,
          messages: Array.from({ length: RATE / 10 }, (_, index) =>
            message(MESSAGES + second * RATE + slice * (RATE / 10) + index),
          ),
        });
        await new Promise((resolve) =>
          setTimeout(resolve, Math.max(0, tickStart + (slice + 1) * 100 - Date.now())),
        );
      }
    }
    await waitUntil('the paced pushes', () => state.received >= before + RATE * SECONDS, 60_000);
    cpu.latency = latencyCpu();
    phases.latency = [latencyStartUs, profileClockUs()];
    writePhaseWindows(PROFILE_NAME, phases);
    recipients.close();
    await server.stop();
    server = undefined;

    const baselinePerS =
      BASELINE > 0 ? await measureBaseline(kafka, producer, dataSource, baselineTopic) : null;

    const result = {
      messages: MESSAGES,
      recipients: RECIPIENTS,
      pipeline: {
        per_s: Math.round(perS),
        p50_ms: round(percentile(state.latencies, 0.5)),
        p99_ms: round(percentile(state.latencies, 0.99)),
        latency_rate_per_s: RATE,
        latency_messages: state.latencies.length,
        // Produce → the insert's transaction start, and from there → socket receipt.
        to_insert_p50_ms: round(percentile(state.toInsert, 0.5)),
        to_insert_p99_ms: round(percentile(state.toInsert, 0.99)),
        from_insert_p50_ms: round(percentile(state.fromInsert, 0.5)),
        from_insert_p99_ms: round(percentile(state.fromInsert, 0.99)),
        batches,
      },
      baseline: {
        messages: BASELINE,
        per_s: baselinePerS === null ? null : Math.round(baselinePerS),
      },
      ratio: baselinePerS === null ? null : round(perS / baselinePerS, 2),
      cpu: {
        throughput_ms_per_1000_messages: Object.fromEntries(
          Object.entries(cpu.throughput).map(([group, { ms }]) => [
            group,
            round((ms * 1000) / MESSAGES),
          ]),
        ),
        pct_of_one_core: Object.fromEntries(
          Object.entries(cpu).map(([phase, groups]) => [
            phase,
            Object.fromEntries(Object.entries(groups).map(([group, { pct }]) => [group, pct])),
          ]),
        ),
      },
      targets: { per_s: 10_000, ratio: 10, p99_ms: 50 },
      notes:
        'pipeline.per_s: rows persisted AND pushed to sockets per second, backlog of `messages` consumed by the built app. ' +
        'p50/p99: produce → socket receipt at latency_rate_per_s. baseline: the seed design (one insert, one commit per message) persisting only, same machine and run (--baseline 0 skips it). ' +
        "cpu: per process group (postgres (app) = the backends of the app's connections; postgres (all) = every PostgreSQL process, kafka = every JVM, redis: shared with other users of the stack), in the throughput phase per 1000 messages, and per phase in % of one core.",
      kafka_client: process.env.KAFKA_CLIENT ?? 'default',
      machine: { cpus: cpus().length, node: process.version },
      generated_at: new Date().toISOString(),
    };
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(
      join(ROOT, 'bench', 'results', 'ingest.json'),
      `${JSON.stringify(result, null, 2)}\n`,
    );
    console.table({
      'persisted+pushed /s': {
        signal: result.pipeline.per_s,
        'seed baseline': result.baseline.per_s,
        target: '≥ 10000',
      },
      ratio: { signal: result.ratio, 'seed baseline': 1, target: '≥ 10' },
      [`p50 ms @${RATE}/s`]: { signal: result.pipeline.p50_ms, 'seed baseline': '-', target: '-' },
      [`p99 ms @${RATE}/s`]: {
        signal: result.pipeline.p99_ms,
        'seed baseline': '-',
        target: '≤ 50',
      },
      [`  p50/p99 ms to the insert`]: {
        signal: `${result.pipeline.to_insert_p50_ms} / ${result.pipeline.to_insert_p99_ms}`,
        'seed baseline': '-',
        target: '-',
      },
      [`  p50/p99 ms from the insert`]: {
        signal: `${result.pipeline.from_insert_p50_ms} / ${result.pipeline.from_insert_p99_ms}`,
        'seed baseline': '-',
        target: '-',
      },
    });
    console.table({ 'partition batches': batches });
    console.table(result.cpu.pct_of_one_core);
    console.table({ 'CPU ms / 1000 messages': result.cpu.throughput_ms_per_1000_messages });
    say('wrote bench/results/ingest.json');
  } finally {
    recipients?.close();
    await server?.stop();
    await admin
      .deleteTopics({ topics: [topic, baselineTopic, `${topic}.dlq`] })
      .catch(() => undefined);
    await dataSource.query(`DROP SCHEMA IF EXISTS "${run}" CASCADE`);
    await dataSource.destroy();
    await Promise.all([admin.disconnect(), producer.disconnect()]);
  }
}

/** The consumer's partition batches so far, from the app's Prometheus metrics. */
async function batchStats(url: string) {
  const text = await (await fetch(`${url}/metrics`)).text();
  const total = (name: string) =>
    [...text.matchAll(new RegExp(`^${name}\\{[^}]*\\} (\\S+)$`, 'gm'))].reduce(
      (sum, match) => sum + Number(match[1]),
      0,
    );
  const count = total('signal_kafka_batch_size_count');
  return {
    count,
    mean_size: round(total('signal_kafka_batch_size_sum') / count),
    mean_ms: round((total('signal_kafka_batch_duration_seconds_sum') * 1000) / count),
  };
}

/** The seed design's rate on `BASELINE` messages of its own topic, on an emptied table. */
async function measureBaseline(
  kafka: Kafka,
  producer: Producer,
  dataSource: DataSource,
  topic: string,
): Promise<number> {
  say(`baseline (seed design: one insert and one commit per message): ${BASELINE} messages`);
  await dataSource.query(`TRUNCATE activity_notifications CASCADE`);
  await produceAll(producer, topic, 0, BASELINE);
  return runSeedBaseline({
    kafka,
    dataSource,
    topic,
    expected: BASELINE,
    onProgress: (done) => say(`baseline: ${done}/${BASELINE}`),
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
