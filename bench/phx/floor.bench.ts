/**
 * bench:phx-floor: the least CPU a PHX notification can cost with the libraries Signal must use,
 * as a floor under bench:phx's `cpu_us_per_notification` (app + PostgreSQL CPU per notification
 * accepted and delivered on all three channels). Each part of the irreducible work is measured
 * alone on loopback, with the app's own classes and settings where it has them:
 *
 *   accept   bench:phx's reference (reference-server.ts: bare Fastify, one pg insert per send)
 *            and the same with the inserts of concurrent sends batched (REFERENCE_INSERTS=batched,
 *            as the Producer batches), sent through phx-node: server + PostgreSQL CPU; the
 *            cheaper counts;
 *   hand-off one small message per notification produced and consumed through the app's Kafka
 *            client (KafkaClients: acks from all replicas, idempotent, batch consumer, commits);
 *   record   the Notification Record rows, one multi-row insert per Kafka-sized batch
 *            (jsonb_to_recordset, as PhxNotificationRecordRepository.insertMany) into a table of
 *            the record's columns with its unique request id and one Center index: client +
 *            PostgreSQL CPU;
 *   emit     one Socket.IO emit per notification to its user's room through the app's Redis
 *            adapter setup (skippingOwnBroadcasts, coalesceWebSocketFrames), a batch's publishes
 *            in one write as SocketRedisConnection sends those of one event-loop turn, to a
 *            connected client;
 *   push     the app's webhook push provider (createPushProvider: one keep-alive axios POST);
 *   e-mail   the app's SmtpEmailSender (pooled nodemailer) with its EmailTemplateRenderer;
 *            the rendering and its html-to-text part are measured again alone (inside e-mail).
 *
 * Counted, as bench:phx counts: the measuring process (or the reference server) and PostgreSQL;
 * the far ends (floor-sinks.ts, another process), Redis and the Kafka broker are reported beside.
 * Not in the floor: anything the app decides, validates, logs or retries, delivery state, and
 * crossing threads; so the floor is a lower bound of what any build of the app can reach.
 *
 *   npm run bench:phx-floor [-- --notifications 5000 --warmup 2000 --compare bench/results/phx.json
 *     --target 1330 --out bench/results/phx-floor.json]
 */
import { ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { NotificationWebSocketRooms, NotificationWebSocketTopics } from '@signal/core';
import { TEST_DATABASE_URL } from '@signal/persistence/testing/test-schema';
import { createAdapter } from '@socket.io/redis-adapter';
import Redis from 'ioredis';
import pLimit from 'p-limit';
import { Pool } from 'pg';
import { PHXPushNotificationService } from 'phx-node';
import { Server } from 'socket.io';
import { loadSignalConfig, SignalConfig } from '../../apps/signal/src/config/signal-config';
import { KafkaClients } from '../../apps/signal/src/kafka';
import { emailText } from '../../apps/signal/src/phx-push/channels/email-html';
import { EmailTemplateRenderer } from '../../apps/signal/src/phx-push/channels/email-template.renderer';
import { createPushProvider } from '../../apps/signal/src/phx-push/channels/push-provider.factory';
import { toPushMessage } from '../../apps/signal/src/phx-push/channels/push-provider';
import { DELIVERY_CHUNKS_IN_FLIGHT } from '../../apps/signal/src/phx-push/channels/send-time';
import { SmtpEmailSender } from '../../apps/signal/src/phx-push/channels/smtp.email-sender';
import { coalesceWebSocketFrames } from '../../apps/signal/src/signal-gateway/socket/coalesced-frames';
import { skippingOwnBroadcasts } from '../../apps/signal/src/signal-gateway/socket/own-broadcasts';
import { waitUntil } from '../support/bench-users';
import { CpuPerUnit, measureCpu, measureGroupsCpu, pidsOf } from '../support/proc-cpu';
import { machineFacts, sourceRevision } from '../support/run-facts';
import { ROOT, stopProcess, track } from '../support/server-process';
import { measureSteal } from '../support/stats';
// Types only: importing the module would start the sinks in this process.
import { benchNotification } from './notification';
import { startReferenceServer } from './reference-process';
import type { SinkCounts, SinkReply, SinkRequest } from './floor-sinks';

const { values: args } = parseArgs({
  options: {
    notifications: { type: 'string', default: '5000' },
    // Long: after 500 e-mails, the next thousands still cost more than later ones (JIT).
    warmup: { type: 'string', default: '2000' },
    // A bench:phx result to set the floor against, and the target (µs), both optional.
    compare: { type: 'string' },
    target: { type: 'string' },
    out: { type: 'string', default: join(ROOT, 'bench', 'results', 'phx-floor.json') },
  },
});
const NOTIFICATIONS = Number(args.notifications);
const WARMUP = Number(args.warmup);
const OUT = resolve(args.out);
// bench:phx's users, and the requests its phx-node client keeps in flight.
const USERS = 100;
const SENDS_IN_FLIGHT = 64;
// Notifications per Kafka batch as the Consumer gets them under load (a fetch of a partition),
// and per hand-off produce (what queues while the previous produce is in flight).
const KAFKA_BATCH = 100;
const HANDOFF_BATCH = 64;
const API_KEY = 'bench-phx-floor-api-key-0123456789';
const run = `bench_phx_floor_${Date.now().toString(36)}`;
const say = (line: string) => console.log(`==> ${line}`);

const notification = (n: number) => benchNotification(n, USERS);

/** `count` notifications from `first`, `inFlight` at a time. */
async function each(
  count: number,
  first: number,
  inFlight: number,
  work: (n: number) => Promise<unknown>,
): Promise<void> {
  const limit = pLimit(inFlight);
  await Promise.all(Array.from({ length: count }, (_, i) => limit(() => work(first + i))));
}

/** Batches of `size` notifications from `first`, `inFlight` batches at a time. */
async function eachBatch(
  count: number,
  first: number,
  { size, inFlight }: { size: number; inFlight: number },
  work: (ns: number[]) => Promise<unknown>,
): Promise<void> {
  const batches = Array.from({ length: Math.ceil(count / size) }, (_, b) =>
    Array.from({ length: Math.min(size, count - b * size) }, (_, i) => first + b * size + i),
  );
  const limit = pLimit(inFlight);
  await Promise.all(batches.map((batch) => limit(() => work(batch))));
}

interface Part {
  /** CPU per notification of the measured process (the app's side), µs. */
  app_us: number;
  /** All of PostgreSQL's, µs (0 for parts that do not touch it). */
  postgres_us: number;
  postgres_own_backends_us: number;
  /** What the floor counts: app_us + postgres_us. */
  counted_us: number;
  /** Processes outside the count (sinks, Redis, Kafka broker), µs per notification. */
  outside_us: Record<string, number>;
  app_threads_us: Record<string, number>;
  steal_pct: number;
  notifications: number;
}

/**
 * Warms `work` up on `WARMUP` notifications, then measures it on `NOTIFICATIONS` (numbered after
 * the warm-up, so unique keys stay unique): CPU of `pid` and PostgreSQL, and of `outside`.
 */
async function measurePart(
  name: string,
  work: (count: number, first: number) => Promise<void>,
  { pid = process.pid, outside = {} }: { pid?: number; outside?: Record<string, () => number[]> },
): Promise<Part> {
  say(`${name}: ${WARMUP} to warm up, then ${NOTIFICATIONS} measured`);
  await work(WARMUP, 0);
  const steal = measureSteal();
  const outsideCpu = measureGroupsCpu(outside);
  const cpu = measureCpu(pid);
  await work(NOTIFICATIONS, WARMUP);
  const used: CpuPerUnit = cpu.perUnit(NOTIFICATIONS);
  const perNotification = (ms: number) => Math.round((ms * 1000) / NOTIFICATIONS);
  const part: Part = {
    app_us: used.process_us,
    postgres_us: used.postgres_us,
    postgres_own_backends_us: used.postgres_own_backends_us,
    counted_us: used.total_us,
    outside_us: Object.fromEntries(
      Object.entries(outsideCpu()).map(([group, { ms }]) => [group, perNotification(ms)]),
    ),
    app_threads_us: used.process_threads_us,
    steal_pct: steal(),
    notifications: NOTIFICATIONS,
  };
  say(`${name}: ${part.counted_us} µs counted per notification`);
  return part;
}

/** The far ends in their own process (floor-sinks.ts), spoken to over IPC. */
async function startSinks() {
  const child: ChildProcess = track(
    fork(join(__dirname, 'floor-sinks.ts'), [], {
      execArgv: ['-r', 'ts-node/register/transpile-only'],
    }),
  );
  const next = <K extends SinkReply['kind']>(kind: K) =>
    new Promise<Extract<SinkReply, { kind: K }>>((resolve, reject) => {
      const onMessage = (reply: SinkReply) => {
        if (reply.kind !== kind) return;
        child.off('message', onMessage);
        child.off('exit', reject);
        resolve(reply as Extract<SinkReply, { kind: K }>);
      };
      child.on('message', onMessage);
      child.once('exit', reject);
    });
  const ask = <K extends SinkReply['kind']>(request: SinkRequest, kind: K) => {
    const reply = next(kind);
    child.send(request);
    return reply;
  };
  const { webhookUrl, smtpUrl } = await next('ready');
  return {
    pid: child.pid ?? 0,
    webhookUrl,
    smtpUrl,
    connect: (url: string, users: string[], event: string) =>
      ask({ kind: 'connect', url, users, event }, 'connected'),
    counts: async (): Promise<SinkCounts> => (await ask({ kind: 'counts' }, 'counts')).counts,
    close: async () => {
      const exited = once(child, 'exit');
      child.send({ kind: 'close' } satisfies SinkRequest);
      await Promise.race([exited, new Promise((done) => setTimeout(done, 5000))]);
      await stopProcess(child, 1000);
    },
  };
}
type Sinks = Awaited<ReturnType<typeof startSinks>>;

/**
 * 1. Accepting, as `script` (a server beside this one) does it: its CPU and PostgreSQL's per send
 * through phx-node.
 */
async function acceptPart(name: string, inserts: 'each' | 'batched'): Promise<Part> {
  const schema = `${run}_accept_${inserts}`;
  const server = await startReferenceServer(schema, inserts);
  const client = new PHXPushNotificationService({ producerUrl: server.url, apiKey: API_KEY });
  try {
    return await measurePart(
      name,
      (count, first) =>
        each(count, first, SENDS_IN_FLIGHT, async (n) => {
          const { status } = await client.send(notification(n));
          if (status !== 'accepted') throw new Error(`the reference server answered ${status}`);
        }),
      { pid: server.pid },
    );
  } finally {
    client.onModuleDestroy();
    await server.stop();
    await dropSchema(schema);
  }
}

async function dropSchema(schema: string): Promise<void> {
  const pool = new Pool({ connectionString: TEST_DATABASE_URL, max: 1 });
  try {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await pool.end();
  }
}

/** 2. Hand-off: produce and consume one message per notification with the app's Kafka client. */
async function handOffPart(config: SignalConfig): Promise<Part> {
  const clients = new KafkaClients(config.kafka);
  const topic = `bench.phx-floor.${run}`;
  const admin = clients.kafkajs({ clientIdSuffix: '-phx-floor-admin' }).admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 3 }] });
  const producer = clients.producer({ clientIdSuffix: '_PHX_FLOOR', idempotent: true, retries: 2 });
  const consumer = clients.batchConsumer({
    groupId: `bench-phx-floor-${run}`,
    sessionTimeoutMs: config.kafka.sessionTimeoutMs,
    partitionsConcurrency: config.kafka.partitionsConcurrency,
  });
  let consumed = 0;
  try {
    await producer.connect();
    const joined = new Promise<void>(
      (resolve) =>
        void consumer.run({
          topics: [topic],
          fromBeginning: true,
          onGroupJoin: () => resolve(),
          eachBatch: async (batch) => {
            // What the Consumer reads of each message before it delivers the batch.
            for (const message of batch.messages) JSON.parse(String(message.value));
            consumed += batch.messages.length;
            const last = batch.messages.at(-1);
            if (last) await batch.commit(BigInt(last.offset) + 1n);
          },
        }),
    );
    await joined;
    return await measurePart(
      'hand-off (Kafka produce + consume)',
      async (count, first) => {
        const target = consumed + count;
        // One produce in flight, as PhxHandOffPublisher drains its queue.
        await eachBatch(count, first, { size: HANDOFF_BATCH, inFlight: 1 }, (ns) =>
          producer.send(
            topic,
            ns.map((n) => ({
              key: `bench-user-${n % USERS}`,
              value: JSON.stringify({ requestId: randomUUID() }),
              headers: { 'x-correlation-id': randomUUID() },
            })),
          ),
        );
        await waitUntil('every hand-off consumed', () => consumed >= target, 120_000);
      },
      { outside: { kafka_broker: () => pidsOf('java') } },
    );
  } finally {
    await consumer.close();
    await producer.disconnect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
}

/** 3. The Notification Record rows: one multi-row insert per Kafka batch. */
async function recordPart(config: SignalConfig): Promise<Part> {
  const schema = `${run}_records`;
  const pool = new Pool({ connectionString: TEST_DATABASE_URL, max: config.database.poolSize });
  const table = `"${schema}".records`;
  try {
    await pool.query(`CREATE SCHEMA "${schema}"`);
    // The record's columns, its idempotency (unique request id) and the Center's one index.
    await pool.query(
      `CREATE TABLE ${table} (
         id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
         seq bigserial NOT NULL,
         request_id uuid NOT NULL UNIQUE,
         user_id varchar NOT NULL, student_id bigint, type varchar NOT NULL,
         action_code varchar NOT NULL, module_code varchar, title text, message text,
         payload jsonb NOT NULL, hostname varchar, channel_status jsonb NOT NULL,
         in_center boolean NOT NULL, read_at timestamptz,
         created_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    await pool.query(`CREATE INDEX ON ${table} (user_id, type, seq) WHERE in_center`);
    const insert = `INSERT INTO ${table}
         (request_id, user_id, student_id, type, action_code, module_code, title, message,
          payload, hostname, channel_status, in_center)
       SELECT * FROM jsonb_to_recordset($1::jsonb)
         AS r(request_id uuid, user_id varchar, student_id bigint, type varchar,
              action_code varchar, module_code varchar, title text, message text, payload jsonb,
              hostname varchar, channel_status jsonb, in_center boolean)
       ON CONFLICT (request_id) DO NOTHING
       RETURNING id, seq, request_id, user_id, created_at`;
    return await measurePart(
      'record (multi-row insert)',
      (count, first) =>
        eachBatch(
          count,
          first,
          { size: KAFKA_BATCH, inFlight: config.kafka.partitionsConcurrency },
          async (ns) => {
            const rows = ns.map((n) => {
              const { user_id, action_code, hostname, pushNotiMobile: push } = notification(n);
              return {
                request_id: randomUUID(),
                user_id,
                student_id: null,
                type: 'SYSTEM',
                action_code,
                module_code: push?.module_code,
                title: push?.title,
                message: push?.message,
                payload: push?.payload,
                hostname,
                channel_status: { in_app: { status: 'sent', reason: null } },
                in_center: true,
              };
            });
            await pool.query({
              name: 'bench-phx-floor-records',
              text: insert,
              values: [JSON.stringify(rows)],
            });
          },
        ),
      {},
    );
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  }
}

/** 4. The record-created event: one emit per notification to its user's room, through Redis. */
async function emitPart(config: SignalConfig, sinks: Sinks): Promise<Part> {
  const publisher = new Redis(config.redis.url);
  const subscriber = publisher.duplicate();
  const http = createServer();
  const io = new Server(http, { transports: ['websocket'] });
  io.adapter(
    skippingOwnBroadcasts(createAdapter(publisher, subscriber, { key: `socket.io.${run}` })),
  );
  coalesceWebSocketFrames(io);
  io.on('connection', (socket) => {
    void socket.join(
      NotificationWebSocketRooms.notificationCenterUser(String(socket.handshake.query.user)),
    );
  });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const topic = NotificationWebSocketTopics.NOTIFICATION_CENTER_RECORD_CREATED;
  const users = Array.from({ length: USERS }, (_, i) => `bench-user-${i}`);
  try {
    await sinks.connect(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, users, topic);
    return await measurePart(
      'emit (Socket.IO, Redis adapter)',
      async (count, first) => {
        const target = (await sinks.counts()).events + count;
        await eachBatch(count, first, { size: KAFKA_BATCH, inFlight: 1 }, async (ns) => {
          // The batch's publishes in one write, as SocketRedisConnection makes them.
          publisher.stream.cork();
          for (const n of ns) {
            const { user_id, action_code, hostname, pushNotiMobile: push } = notification(n);
            io.to(NotificationWebSocketRooms.notificationCenterUser(String(user_id))).emit(topic, {
              id: randomUUID(),
              type: 'SYSTEM',
              actionCode: action_code,
              moduleCode: push?.module_code,
              studentId: null,
              title: push?.title,
              message: push?.message,
              payload: push?.payload,
              hostname,
              isRead: false,
              createdAt: new Date().toISOString(),
            });
          }
          publisher.stream.uncork();
          // A Kafka batch is a round trip to PostgreSQL apart from the next.
          await new Promise((resolve) => setImmediate(resolve));
        });
        await waitUntil(
          'every event received',
          async () => (await sinks.counts()).events >= target,
          120_000,
        );
      },
      { outside: { sinks: () => [sinks.pid], redis: () => pidsOf('redis-server') } },
    );
  } finally {
    await io.close();
    publisher.disconnect();
    subscriber.disconnect();
  }
}

const IN_FLIGHT_SENDS = (config: SignalConfig) =>
  DELIVERY_CHUNKS_IN_FLIGHT * config.phx.deliveryChunkSize;

/** 5. Push: the app's webhook provider, one keep-alive POST per notification. */
async function pushPart(config: SignalConfig, sinks: Sinks): Promise<Part> {
  const provider = createPushProvider(config.push);
  try {
    return await measurePart(
      'push (webhook provider, axios)',
      (count, first) =>
        each(count, first, IN_FLIGHT_SENDS(config), async (n) => {
          const push = notification(n).pushNotiMobile!;
          const report = await provider.send(toPushMessage(randomUUID(), push), [`device-${n}`]);
          if (report.sent.length !== 1) throw new Error(`push not sent: ${JSON.stringify(report)}`);
        }),
      { outside: { sinks: () => [sinks.pid] } },
    );
  } finally {
    await provider.close();
  }
}

/** 6. E-mail: the app's SMTP sender (rendering included); then the rendering alone. */
async function emailParts(config: SignalConfig, sinks: Sinks) {
  const renderer = new EmailTemplateRenderer();
  const sender = new SmtpEmailSender(config.smtp, config.phx.deliveryChunkSize, renderer);
  try {
    const email = await measurePart(
      'e-mail (render + nodemailer pooled SMTP)',
      (count, first) =>
        each(count, first, IN_FLIGHT_SENDS(config), (n) =>
          sender.send(randomUUID(), notification(n).sendEmailV3!),
        ),
      { outside: { sinks: () => [sinks.pid] } },
    );
    const synchronously = (work: (n: number) => unknown) => (count: number, first: number) => {
      for (let n = first; n < first + count; n++) work(n);
      return Promise.resolve();
    };
    const render = await measurePart(
      'e-mail rendering alone (handlebars + sanitize + html-to-text)',
      synchronously((n) => renderer.render(notification(n).sendEmailV3!)),
      {},
    );
    const { html } = renderer.render(notification(0).sendEmailV3!);
    const text = await measurePart(
      'html-to-text alone',
      synchronously(() => emailText(html)),
      {},
    );
    return { email, render, text };
  } finally {
    sender.close();
  }
}

interface PhxResult {
  cpu_us_per_notification: number;
  cpu: CpuPerUnit;
  app?: { source?: { commit: string } | null };
}

async function main(): Promise<void> {
  const source = sourceRevision();
  const loadBefore = loadavg();
  const config = loadSignalConfig({
    NODE_ENV: 'production',
    SIGNAL_JWT_SECRET: 'bench-phx-floor-jwt-secret-0123456789',
    SIGNAL_API_KEYS: API_KEY,
    DATABASE_URL: TEST_DATABASE_URL,
    KAFKA_BROKERS: '127.0.0.1:9092',
    KAFKA_CLIENT: process.env.KAFKA_CLIENT,
    REDIS_URL: 'redis://127.0.0.1:6379',
    PUSH_PROVIDER: 'webhook',
    // Replaced below, once the sinks listen.
    PUSH_WEBHOOK_URL: 'http://127.0.0.1:1/push',
  });
  const sinks = await startSinks();
  const runSteal = measureSteal();
  try {
    const sinkConfig: SignalConfig = {
      ...config,
      push: { ...config.push, provider: { kind: 'webhook', url: sinks.webhookUrl, secret: null } },
      smtp: { ...config.smtp, url: sinks.smtpUrl },
    };
    const reference = await acceptPart(
      'accept (reference: Fastify + one pg insert per send)',
      'each',
    );
    const batched = await acceptPart(
      'accept (Fastify + one multi-row pg insert per batch of sends)',
      'batched',
    );
    const parts = {
      // The cheaper way to accept is the floor's; both are in the result.
      accept: reference.counted_us <= batched.counted_us ? reference : batched,
      hand_off: await handOffPart(config),
      record: await recordPart(config),
      emit: await emitPart(config, sinks),
      push: await pushPart(sinkConfig, sinks),
      ...(await emailParts(sinkConfig, sinks)),
    };
    const { render, text, ...counted } = parts;
    const floor = Object.values(counted).reduce((sum, part) => sum + part.counted_us, 0);
    const floorOwnBackends = Object.values(counted).reduce(
      (sum, part) => sum + part.app_us + part.postgres_own_backends_us,
      0,
    );
    const compare = args.compare
      ? (JSON.parse(readFileSync(resolve(args.compare), 'utf8')) as PhxResult)
      : undefined;
    const target = args.target === undefined ? undefined : Number(args.target);
    const result = {
      source,
      notifications: NOTIFICATIONS,
      warmup: WARMUP,
      floor_cpu_us_per_notification: floor,
      floor_with_own_backends_only_us: floorOwnBackends,
      parts: counted,
      accept_ways: { reference, batched },
      // Inside `email` already: its shares, not added again.
      email_rendering: { render_us: render.app_us, html_to_text_us: text.app_us, render, text },
      ...(compare && {
        compared_with: {
          file: resolve(args.compare!),
          commit: compare.app?.source?.commit ?? null,
          cpu_us_per_notification: compare.cpu_us_per_notification,
          threads_us: compare.cpu.process_threads_us,
          postgres_us: compare.cpu.postgres_us,
          times_the_floor: Math.round((compare.cpu_us_per_notification / floor) * 100) / 100,
        },
      }),
      ...(target !== undefined && {
        target_us: target,
        target_vs_floor: Math.round((target / floor) * 100) / 100,
      }),
      settings: {
        sends_in_flight: SENDS_IN_FLIGHT,
        channel_sends_in_flight: IN_FLIGHT_SENDS(config),
        smtp_pool_connections: config.phx.deliveryChunkSize,
        kafka_batch: KAFKA_BATCH,
        hand_off_batch: HANDOFF_BATCH,
        record_batches_in_flight: config.kafka.partitionsConcurrency,
        database_pool: config.database.poolSize,
        users: USERS,
        kafka_client: config.kafka.client,
      },
      machine: {
        ...machineFacts(),
        load_average_before: loadBefore.map((load) => Number(load.toFixed(2))),
        load_average_after: loadavg().map((load) => Number(load.toFixed(2))),
        steal_pct: runSteal(),
      },
      notes:
        'Each part measured alone on loopback after a warm-up; µs of CPU (/proc utime+stime) per notification. ' +
        "counted_us = app_us (the process doing the app's side: the reference server for accept, the bench process otherwise) + postgres_us (every PostgreSQL process, as bench:phx counts; shared, so other clients' work lands in it too; postgres_own_backends_us is the part in the backends of the measured process's connections). " +
        'outside_us: the far ends (webhook, SMTP, Socket.IO clients: floor-sinks.ts), Redis and the Kafka broker, not counted (bench:phx counts only the app and PostgreSQL). ' +
        'floor_cpu_us_per_notification: the sum of the counted parts; email_rendering is inside the e-mail part.',
      generated_at: new Date().toISOString(),
    };
    mkdirSync(dirname(OUT), { recursive: true });
    writeFileSync(OUT, `${JSON.stringify(result, null, 2)}\n`);
    const row = (part: Part) => ({
      'app µs': part.app_us,
      'PostgreSQL µs': part.postgres_us || '-',
      'counted µs': part.counted_us,
      'not counted µs':
        Object.entries(part.outside_us)
          .map(([group, us]) => `${group} ${us}`)
          .join(', ') || '-',
      'steal %': part.steal_pct,
    });
    console.table({
      ...Object.fromEntries(Object.entries(counted).map(([name, part]) => [name, row(part)])),
      '  of which rendering': { 'app µs': render.app_us },
      '  of which html-to-text': { 'app µs': text.app_us },
      '  accept, reference (one insert per send)': row(reference),
      '  accept, batched inserts': row(batched),
      FLOOR: { 'counted µs': floor },
      'FLOOR, own PostgreSQL backends only': { 'counted µs': floorOwnBackends },
      ...(compare && {
        [`bench:phx (${args.compare})`]: { 'counted µs': compare.cpu_us_per_notification },
      }),
      ...(target !== undefined && { target: { 'counted µs': target } }),
    });
    say(
      `load average ${result.machine.load_average_after.join(' ')}, steal ${result.machine.steal_pct} %`,
    );
    say(`wrote ${OUT}`);
  } finally {
    await sinks.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
