import { randomBytes } from 'node:crypto';
import { runMigrations } from '@signal/persistence';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { io, Socket } from 'socket.io-client';
import { freePort } from '../../support/free-port';
import { DependencyName, PrivateService, PrivateStack } from '../../support/private-services';
import { SignalProcess, spawnSignal, waitUntilServing } from '../../support/signal-process';
import { SmtpTestServer } from '../../support/smtp-test-server';
import { TEST_API_KEY, TEST_JWT_SECRET, userToken } from '../../support/tokens';
import { waitFor } from '../../support/wait-for';
import {
  ACTIVITY_RECIPIENTS,
  CHAOS_ACTION_CODE,
  ChaosLoad,
  LEGACY_ACTION_CODE,
  sendToRoom,
} from './chaos-load';

/*
 * One chaos scenario: the built app as its own process on the private stack, under load; one
 * dependency stopped for OUTAGE_MS and started again; then every promise the app made is
 * counted. Violations of the contract (SPEC §6) are collected as sentences, not thrown one by
 * one, so a failing run says everything that broke.
 */

// Longer than ioredis's 20 retries of a queued command (~10 s of reconnect backoff): a command
// issued as Redis goes away fails while it is still away, as in a real outage.
const OUTAGE_MS = 12_000;
const LOAD_BEFORE_MS = 3_000;
const LOAD_AFTER_RECOVERY_MS = 3_000;
// Ceilings, never expected to be reached by a healthy run.
const READY_AGAIN_TIMEOUT_MS = 60_000;
const DRAIN_TIMEOUT_MS = 60_000;
const LOAD_MAX_MS = 120_000;
const SOCKET_TOPIC = 'chaos/ping';
const WATCHER = 'chaos-watcher';
const WATCHER_ROOM = `signal/notification/${WATCHER}`;
const AFTER_RECOVERY_EMITS = 5;
// Sequence numbers of those emits: above any the load reaches.
const AFTER_RECOVERY_FIRST_SEQ = 1_000_000;

export interface ScenarioReport {
  violations: string[];
  /** One paragraph: timings, answers, counts. */
  summary: string;
}

class AppExited extends Error {}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Readiness {
  status: number | string;
  /** The dependencies reported down (Terminus's `details`/`error` entries with status down). */
  down: string[];
  /** "kafka: <message>; …", for the report. */
  causes: string;
}

async function readiness(appUrl: string): Promise<Readiness> {
  try {
    const response = await fetch(`${appUrl}/health/ready`, { signal: AbortSignal.timeout(5000) });
    const body = (await response.json().catch(() => ({}))) as Record<
      string,
      Record<string, { status?: string; message?: string }> | undefined
    >;
    const down = Object.entries({ ...body.details, ...body.error }).filter(
      ([, entry]) => entry?.status === 'down',
    );
    return {
      status: response.status,
      down: down.map(([name]) => name),
      causes: down.map(([name, entry]) => `${name}: ${entry.message ?? '?'}`).join('; '),
    };
  } catch (error) {
    const status = (error as Error).name === 'TimeoutError' ? 'timeout' : 'no-answer';
    return { status, down: [], causes: '' };
  }
}

export class OutageScenario {
  readonly violations: string[] = [];
  private readonly runId: string;
  private readonly timings: string[] = [];
  private readonly readinessSeen: string[] = [];
  private readonly startedAt = Date.now();
  private app?: SignalProcess;
  private appUrl = '';
  private db?: Pool;
  private smtp?: SmtpTestServer;
  private socket?: Socket;
  private readonly received: number[] = [];
  private load?: ChaosLoad;
  private serviceDown = false;
  private openAtDrainStart = 'not counted';
  private outageStartedAt = 0;
  private lastReadiness = '';

  constructor(
    private readonly stack: PrivateStack,
    private readonly dependency: DependencyName,
  ) {
    this.runId = `${dependency}-${randomBytes(3).toString('hex')}`;
  }

  private get service(): PrivateService {
    const byName: Record<DependencyName, PrivateService> = {
      redis: this.stack.redis,
      postgresql: this.stack.postgres,
      kafka: this.stack.kafka,
      rabbitmq: this.stack.rabbitmq,
    };
    return byName[this.dependency];
  }

  async run(): Promise<ScenarioReport> {
    try {
      await this.timed('app up', () => this.startApp());
      await this.timed('load before', () => this.startLoad());
      await this.takeAwayAndBringBack();
      await this.alive(sleep(LOAD_AFTER_RECOVERY_MS));
      this.load!.phase = 'after';
      await this.timed('load stopped', () => this.alive(this.load!.stop()));
      await this.timed('socket check', () => this.checkSocketReceivesAgain());
      await this.timed('drain', () => this.checkNothingLostOrDoubled());
      this.checkAnswers();
    } catch (error) {
      if (!(error instanceof AppExited)) throw error;
      this.violations.push(error.message);
      if (this.load) this.checkAnswers();
    } finally {
      await this.cleanUp();
    }
    return { violations: this.violations, summary: this.summary() };
  }

  private async timed(step: string, work: () => Promise<void>): Promise<void> {
    const startedAt = Date.now();
    await work();
    this.timings.push(`${step} ${((Date.now() - startedAt) / 1000).toFixed(1)}s`);
  }

  /** `work`, unless the app process exits first: that ends the scenario with what it printed. */
  private async alive<T>(work: Promise<T>): Promise<T> {
    const app = this.app!;
    const exited = app.exited.then((code) => {
      const lines = [...new Set(app.output().trim().split('\n'))].slice(-12).join('\n    ');
      throw new AppExited(
        `[${this.dependency}] the app process exited (${code}) during the ${this.load?.phase ?? 'start'} phase ` +
          `(${((Date.now() - this.startedAt) / 1000).toFixed(1)}s into the scenario); its last distinct lines:\n    ${lines}`,
      );
    });
    return Promise.race([work, exited]);
  }

  private async startApp(): Promise<void> {
    const schema = `chaos_${this.runId.replace(/-/g, '_')}`;
    const { postgres, kafka, rabbitmq, redis } = this.stack;
    await runMigrations({ url: postgres.url, schema, poolSize: 2 });
    this.db = new Pool({
      connectionString: postgres.url,
      options: `-c search_path=${schema}`,
      max: 2,
    });
    // Idle connections die with the server in the PostgreSQL scenario; the pool replaces them.
    this.db.on('error', () => undefined);
    const topics = { activity: `chaos.${this.runId}.activity`, phx: `chaos.${this.runId}.phx` };
    const admin = new Kafka({
      clientId: 'chaos-admin',
      brokers: kafka.brokers,
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    await admin.createTopics({
      topics: Object.values(topics).map((topic) => ({ topic, numPartitions: 3 })),
      waitForLeaders: true,
    });
    await admin.disconnect();
    this.smtp = await SmtpTestServer.start();
    const port = await freePort();
    this.appUrl = `http://127.0.0.1:${port}`;
    this.app = spawnSignal(
      {
        PORT: String(port),
        LOG_LEVEL: 'warn',
        DATABASE_URL: postgres.url,
        DATABASE_SCHEMA: schema,
        KAFKA_BROKERS: kafka.brokers.join(','),
        KAFKA_TOPIC_ACTIVITY_NOTIFICATION: topics.activity,
        KAFKA_TOPIC_PHX_PUSH: topics.phx,
        APP_ENV_KAFKA_GROUP_ID: `CHAOS_${this.runId}`,
        KAFKA_FROM_BEGINNING: 'true',
        KAFKA_RETRY_INITIAL_MS: '100',
        KAFKA_RETRY_MAX_MS: '1000',
        // A restarted broker waits out the group's old session before it rebalances: 30 s by
        // default, most of the Kafka scenario's drain on a loaded machine.
        KAFKA_SESSION_TIMEOUT_MS: '10000',
        RABBITMQ_URL: rabbitmq.url,
        RABBITMQ_QUEUE: `chaos.${this.runId}`,
        REDIS_URL: redis.url,
        SOCKET_IO_REDIS_KEY: `socket.io.${this.runId}`,
        SIGNAL_JWT_SECRET: TEST_JWT_SECRET,
        SIGNAL_API_KEYS: TEST_API_KEY,
        HEALTH_CHECK_TIMEOUT_MS: '1000',
        PUSH_PROVIDER: 'none',
        SMTP_URL: this.smtp.url,
        // Loopback SMTP answers within milliseconds; short enough for the lease below to pass
        // the boot check (longest send: 4 chunks × 3 waits × 2 s + 5 s stop grace = 29 s).
        SMTP_TIMEOUT_MS: '2000',
        // Quicker than production so the scenario's drain is short; same behaviour.
        PHX_OUTBOX_INTERVAL_MS: '1000',
        PHX_OUTBOX_AFTER_MS: '3000',
        PHX_RETRY_INITIAL_MS: '200',
        PHX_RETRY_MAX_MS: '2000',
        // Over twice the outage: a claim taken just before it can still be settled once it ends
        // (a settle is retried while its lease lasts); above the longest send (see SMTP_TIMEOUT_MS).
        PHX_DELIVERY_LEASE_MS: '30000',
      },
      [],
      'build',
    );
    await waitUntilServing(this.app, this.appUrl);
    await this.putSetting(CHAOS_ACTION_CODE, ['in_app', 'email']);
    await this.putSetting(LEGACY_ACTION_CODE, ['in_app']);
    await this.connectWatcher();
  }

  private async putSetting(actionCode: string, channels: string[]): Promise<void> {
    const response = await fetch(`${this.appUrl}/admin/notification-settings/${actionCode}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'x-api-key': TEST_API_KEY },
      body: JSON.stringify({ enabled: true, channels, critical: false }),
    });
    if (!response.ok) throw new Error(`setting ${actionCode} refused: ${await response.text()}`);
  }

  /** A client as a browser keeps one: it reconnects by itself if the server drops it. */
  private async connectWatcher(): Promise<void> {
    const socket = io(this.appUrl, {
      auth: { token: userToken({ sub: WATCHER }, { expiresIn: 3600 }) },
      transports: ['websocket'],
      forceNew: true,
      reconnectionDelay: 200,
      reconnectionDelayMax: 1000,
    });
    this.socket = socket;
    socket.on(SOCKET_TOPIC, (payload: { seq: number }) => this.received.push(payload.seq));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
  }

  private async startLoad(): Promise<void> {
    this.load = new ChaosLoad({
      appUrl: this.appUrl,
      kafkaBrokers: this.stack.kafka.brokers,
      activityTopic: `chaos.${this.runId}.activity`,
      rabbitmqUrl: this.stack.rabbitmq.url,
      room: WATCHER_ROOM,
      topic: SOCKET_TOPIC,
      runId: this.runId,
    });
    await this.load.start(LOAD_MAX_MS);
    await this.alive(sleep(LOAD_BEFORE_MS));
  }

  private async takeAwayAndBringBack(): Promise<void> {
    const load = this.load!;
    load.phase = 'outage';
    const stoppedAt = Date.now();
    this.outageStartedAt = stoppedAt;
    this.serviceDown = true;
    await this.alive(this.service.stop());
    const named = await this.alive(
      this.watchReadiness(
        (seen) => seen.status === 503 && seen.down.includes(this.dependency),
        OUTAGE_MS,
      ),
    );
    if (!named) {
      this.violations.push(
        `[${this.dependency}] /health/ready never answered 503 naming "${this.dependency}" during the ${OUTAGE_MS / 1000}s outage (seen: ${this.readinessSeen.join(', ')})`,
      );
    }
    await this.alive(sleep(Math.max(0, OUTAGE_MS - (Date.now() - stoppedAt))));
    this.timings.push(`outage ${((Date.now() - stoppedAt) / 1000).toFixed(1)}s`);

    load.phase = 'recovery';
    const startedAt = Date.now();
    await this.alive(this.service.start());
    this.serviceDown = false;
    const backAt = ((Date.now() - stoppedAt) / 1000).toFixed(1);
    this.readinessSeen.push(`${backAt}s ${this.dependency} answering again`);
    const ready = await this.alive(
      this.watchReadiness((seen) => seen.status === 200, READY_AGAIN_TIMEOUT_MS),
    );
    this.timings.push(`ready again ${((Date.now() - startedAt) / 1000).toFixed(1)}s after restart`);
    if (!ready) {
      this.violations.push(
        `[${this.dependency}] /health/ready did not answer 200 within ${READY_AGAIN_TIMEOUT_MS / 1000}s of ${this.dependency} coming back (seen: ${this.readinessSeen.join(', ')})`,
      );
    }
  }

  /** Polls readiness until `wanted` or `timeoutMs`; keeps each change for the report. */
  private async watchReadiness(wanted: (seen: Readiness) => boolean, timeoutMs: number) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const seen = await readiness(this.appUrl);
      const entry = `${seen.status}${seen.causes ? ` (${seen.causes.slice(0, 120)})` : ''}`;
      if (this.lastReadiness !== entry) {
        const at = ((Date.now() - this.outageStartedAt) / 1000).toFixed(1);
        this.readinessSeen.push(`${at}s ${entry}`);
        this.lastReadiness = entry;
      }
      if (wanted(seen)) return true;
      await sleep(250);
    }
    return false;
  }

  /** Emits after the recovery reach the socket, each once. */
  private async checkSocketReceivesAgain(): Promise<void> {
    const seqs = Array.from(
      { length: AFTER_RECOVERY_EMITS },
      (_, n) => AFTER_RECOVERY_FIRST_SEQ + n,
    );
    const answers: (number | string)[] = [];
    for (const seq of seqs) {
      const target = { appUrl: this.appUrl, room: WATCHER_ROOM, topic: SOCKET_TOPIC };
      answers.push((await this.alive(sendToRoom(target, seq))).status);
    }
    const got = await waitFor(
      'the emits after recovery',
      () => (seqs.every((seq) => this.received.includes(seq)) ? true : undefined),
      { timeoutMs: 10_000 },
    ).catch(() => false);
    const counts = seqs.map((seq) => this.received.filter((r) => r === seq).length);
    if (!got || counts.some((count) => count !== 1)) {
      this.violations.push(
        `[${this.dependency}] the socket did not receive each of ${seqs.length} emits after recovery exactly once: answers ${answers.join(',')}, received ${counts.join(',')} times (socket ${this.socket?.connected ? 'connected' : 'disconnected'})`,
      );
    }
    const twice = this.received.filter((seq, index) => this.received.indexOf(seq) !== index);
    if (twice.length > 0) {
      this.violations.push(
        `[${this.dependency}] the socket received ${twice.length} emits twice (seq ${twice.slice(0, 5).join(', ')})`,
      );
    }
  }

  private async query<T>(sql: string, params: unknown[]): Promise<T[]> {
    return (await this.db!.query(sql, params)).rows as T[];
  }

  /** Waits for the work in flight to settle, then counts every accepted thing once. */
  private async checkNothingLostOrDoubled(): Promise<void> {
    const load = this.load!;
    const keys = [...load.acceptedSends.keys()];
    const activities = load.producedActivities;
    const legacy = load.publishedLegacyEvents;
    const openWork = async () => {
      const [open] = await this.query<Record<string, number>>(
        `SELECT
           (SELECT count(*) FROM phx_push_requests r JOIN phx_deliveries d ON d.request_id = r.id
             WHERE r.idempotency_key = ANY($1) AND d.status IN ('pending', 'sending'))::int
             AS "PHX channels",
           ($2::int - (SELECT count(*) FROM phx_notification_records n
             JOIN phx_push_requests r ON r.id = n.request_id WHERE r.idempotency_key = ANY($1)))::int
             AS "PHX records",
           ($4::int - (SELECT count(*) FROM activity_notifications WHERE dedup_key = ANY($3)))::int
             AS "activity rows",
           ($6::int - (SELECT count(*) FROM legacy_processed_events WHERE event_id = ANY($5)))::int
             AS "V1 events"`,
        [
          keys,
          keys.length,
          activities,
          activities.length * ACTIVITY_RECIPIENTS.length,
          legacy,
          legacy.length,
        ],
      );
      return Object.entries(open)
        .filter(([, count]) => count > 0)
        .map(([what, count]) => `${what} ${count}`);
    };
    this.openAtDrainStart = (await this.alive(openWork())).join(', ') || 'nothing';
    let open: string[] = [];
    const drained = await this.alive(
      waitFor(
        'accepted work to settle',
        async () => {
          open = await openWork();
          return open.length === 0 ? true : undefined;
        },
        { timeoutMs: DRAIN_TIMEOUT_MS, intervalMs: 500 },
      ),
    ).catch((error: unknown) => {
      if (error instanceof AppExited) throw error;
      return false;
    });
    if (!drained) {
      this.violations.push(
        `[${this.dependency}] accepted work still open ${DRAIN_TIMEOUT_MS / 1000}s after the load stopped: ${open.join(', ')}`,
      );
    }
    await this.checkPhxSends(keys);
    await this.checkActivities(activities);
    await this.checkLegacyEvents(legacy);
  }

  private async checkPhxSends(keys: string[]): Promise<void> {
    const rows = await this.query<{
      key: string;
      records: number;
      channels: string | null;
      email_attempts: number | null;
    }>(
      `SELECT r.idempotency_key AS key,
              (SELECT count(*) FROM phx_notification_records n WHERE n.request_id = r.id)::int AS records,
              (SELECT d.attempts FROM phx_deliveries d
                WHERE d.request_id = r.id AND d.channel = 'email') AS email_attempts,
              (SELECT string_agg(d.channel || ':' || d.status, ',' ORDER BY d.channel)
                 FROM phx_deliveries d WHERE d.request_id = r.id AND d.status <> 'skipped') AS channels
         FROM phx_push_requests r WHERE r.idempotency_key = ANY($1)`,
      [keys],
    );
    const byKey = new Map(rows.map((row) => [row.key, row]));
    const mails = new Map<string, number>();
    for (const { mail } of this.smtp!.received) {
      const subject = mail.subject ?? '';
      mails.set(subject, (mails.get(subject) ?? 0) + 1);
    }
    const problems = new Map<string, string[]>();
    const note = (what: string, key: string) =>
      problems.set(what, [...(problems.get(what) ?? []), key]);
    for (const key of keys) {
      const row = byKey.get(key);
      if (!row) note('no request stored', key);
      else {
        if (row.records !== 1) note(`${row.records} Notification Records`, key);
        if (row.channels !== 'email:sent,in_app:sent') note(`channels ${row.channels}`, key);
      }
      const sent = mails.get(key) ?? 0;
      if (sent !== 1)
        note(`${sent} e-mails (the e-mail channel's attempts: ${row?.email_attempts})`, key);
    }
    for (const [what, affected] of problems) {
      this.violations.push(
        `[${this.dependency}] ${affected.length} of ${keys.length} PHX sends answered 202 have ${what} (e.g. ${affected.slice(0, 3).join(', ')})`,
      );
    }
  }

  private async checkActivities(eventIds: string[]): Promise<void> {
    const rows = await this.query<{ dedup_key: string; recipient_id: string; count: number }>(
      `SELECT dedup_key, recipient_id, count(*)::int AS count FROM activity_notifications
        WHERE dedup_key = ANY($1) GROUP BY 1, 2`,
      [eventIds],
    );
    const counts = new Map(rows.map((row) => [`${row.dedup_key}/${row.recipient_id}`, row.count]));
    const wrong = eventIds.flatMap((eventId) =>
      ACTIVITY_RECIPIENTS.flatMap((recipient) => {
        const count = counts.get(`${eventId}/${recipient}`) ?? 0;
        return count === 1 ? [] : [`${eventId} → ${recipient}: ${count} rows`];
      }),
    );
    if (wrong.length > 0) {
      this.violations.push(
        `[${this.dependency}] ${wrong.length} of ${eventIds.length * ACTIVITY_RECIPIENTS.length} (activity message, recipient) pairs acknowledged by Kafka do not have exactly one row (e.g. ${wrong.slice(0, 3).join('; ')})`,
      );
    }
  }

  private async checkLegacyEvents(eventIds: string[]): Promise<void> {
    const rows = await this.query<{
      event_id: string;
      processed: number;
      requests: number;
      records: number;
    }>(
      `SELECT e.event_id,
              (SELECT count(*) FROM legacy_processed_events p WHERE p.event_id = e.event_id)::int AS processed,
              (SELECT count(*) FROM phx_push_requests r
                WHERE r.payload->'inApp'->'payload'->>'eventId' = e.event_id)::int AS requests,
              (SELECT count(*) FROM phx_notification_records n WHERE n.payload->>'eventId' = e.event_id)::int AS records
         FROM unnest($1::text[]) AS e(event_id)`,
      [eventIds],
    );
    const wrong = rows.filter(
      (row) => row.processed !== 1 || row.requests !== 1 || row.records !== 1,
    );
    if (wrong.length > 0) {
      const examples = wrong
        .slice(0, 3)
        .map(
          (row) =>
            `${row.event_id}: processed ${row.processed}, requests ${row.requests}, records ${row.records}`,
        );
      this.violations.push(
        `[${this.dependency}] ${wrong.length} of ${eventIds.length} V1 events confirmed by RabbitMQ were not delivered exactly once (${examples.join('; ')})`,
      );
    }
  }

  private checkAnswers(): void {
    const { answers } = this.load!;
    if (answers.breachCount > 0) {
      this.violations.push(
        `[${this.dependency}] ${answers.breachCount} HTTP answers were neither 2xx nor 503 with Retry-After; e.g.\n    ${answers.breaches.join('\n    ')}`,
      );
    }
  }

  private summary(): string {
    const load = this.load;
    const counts = load
      ? `PHX 202 ${load.acceptedSends.size}; REST emits 2xx ${load.acceptedEmits}, received ${this.received.filter((seq) => seq < AFTER_RECOVERY_FIRST_SEQ).length}; ` +
        `activity acked ${load.producedActivities.length} (failed ${load.activityFailures}); ` +
        `V1 confirmed ${load.publishedLegacyEvents.length} (failed ${load.legacyFailures}); e-mails ${this.smtp?.received.length ?? 0}`
      : 'no load';
    return [
      `[${this.dependency}] ${((Date.now() - this.startedAt) / 1000).toFixed(1)}s: ${this.timings.join(', ')}`,
      `readiness (seconds after the stop): ${this.readinessSeen.join(' → ')}`,
      `answers: ${load?.answers.summary() ?? 'none'}`,
      `counts: ${counts}`,
      `open when the load stopped: ${this.openAtDrainStart}`,
    ].join('\n  ');
  }

  /** The dependency back first (the next scenario needs it, and the app shuts down cleanly). */
  private async cleanUp(): Promise<void> {
    await this.load?.stop();
    try {
      if (this.serviceDown) await this.service.start();
    } finally {
      this.socket?.close();
      await this.stopApp();
      await this.smtp?.close();
      await this.db?.end();
    }
  }

  private async stopApp(): Promise<void> {
    const app = this.app;
    if (!app || app.child.exitCode !== null || app.child.signalCode !== null) return;
    app.child.kill('SIGTERM');
    const timer = setTimeout(() => app.child.kill('SIGKILL'), 15_000);
    await app.exited;
    clearTimeout(timer);
  }
}
