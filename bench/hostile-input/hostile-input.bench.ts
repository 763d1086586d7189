import { mkdirSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { runMigrations } from '@signal/persistence';
import { TEST_DATABASE_URL } from '@signal/persistence/testing/test-schema';
import pino from 'pino';
import { loadSignalConfig } from '../../apps/signal/src/config/signal-config';
import { KafkaInboundMessage } from '../../apps/signal/src/kafka';
import { ActivityNotificationHandler } from '../../apps/signal/src/kafka-notification/activity-notification.handler';
import { ActivityTemplateRegistry } from '../../apps/signal/src/kafka-notification/templates/activity-template.registry';
import { loggableText, maskEmailsInText } from '../../apps/signal/src/logging/log-redaction';
import { signalPinoOptions } from '../../apps/signal/src/logging/signal-logger.options';
import { ROOT, startBuiltSignal } from '../support/server-process';
import { processCpuUs } from '../support/proc-cpu';
import { percentile, round } from '../support/stats';

const { values: args } = parseArgs({
  options: {
    requests: { type: 'string', default: '100' },
    'url-chars': { type: 'string', default: '16000' },
    'field-bytes': { type: 'string', default: '1000000' },
    repeats: { type: 'string', default: '11' },
  },
});
const REQUESTS = Number(args.requests);
const URL_CHARS = Number(args['url-chars']);
const FIELD_BYTES = Number(args['field-bytes']);
const REPEATS = Number(args.repeats);
const say = (line: string) => console.log(`==> ${line}`);

/** Median wall time of `work` in ms over REPEATS runs (after one warm-up). */
function medianMs(work: () => unknown): number {
  work();
  const times: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const started = performance.now();
    work();
    times.push(performance.now() - started);
  }
  return round(percentile(times, 0.5), 3) ?? 0;
}

/** The hostile URL of issue 15: a long run of local-part characters, then "@x". */
const hostileUrl = `/${'a'.repeat(URL_CHARS)}@x`;
// As long, without "@": what parsing and logging such a request costs anyway.
const plainUrl = `/${'a'.repeat(URL_CHARS)}-x`;

function measureMasking() {
  return {
    mask_ms: medianMs(() => maskEmailsInText(hostileUrl)),
    loggable_ms: medianMs(() => loggableText(hostileUrl)),
  };
}

/** `count` sequential GETs of `path` on one kept-alive connection: the app's CPU ms per request. */
async function appCpuPerRequest(url: string, pid: number, path: string, count: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const latencies: number[] = [];
  const get = () =>
    new Promise<number>((resolve, reject) => {
      const started = performance.now();
      request(`${url}${path}`, { agent }, (response) => {
        response.resume();
        response.on('end', () => resolve(performance.now() - started));
      })
        .on('error', reject)
        .end();
    });
  await get();
  const before = processCpuUs(pid);
  for (let i = 0; i < count; i++) latencies.push(await get());
  const cpu = (processCpuUs(pid) - before) / 1000;
  agent.destroy();
  return { cpu_ms_per_request: round(cpu / count, 2), p50_ms: round(percentile(latencies, 0.5)) };
}

async function measureHttp() {
  const schema = `bench_hostile_${Date.now().toString(36)}`;
  await runMigrations({ url: TEST_DATABASE_URL, schema });
  const app = await startBuiltSignal(schema, {
    KAFKA_ENABLED: 'false',
    SIGNAL_JWT_SECRET: 'bench-hostile-jwt-secret-0123456789',
    SIGNAL_API_KEYS: 'bench-hostile-api-key-0123456789',
  });
  try {
    // Interleaved halves, so a neighbour's burst hits both kinds alike.
    const half = Math.ceil(REQUESTS / 2);
    const hostile = [await appCpuPerRequest(app.url, app.pid, hostileUrl, half)];
    const plain = [await appCpuPerRequest(app.url, app.pid, plainUrl, half)];
    hostile.push(await appCpuPerRequest(app.url, app.pid, hostileUrl, half));
    plain.push(await appCpuPerRequest(app.url, app.pid, plainUrl, half));
    const mean = (runs: { cpu_ms_per_request: number | null }[]) =>
      round(runs.reduce((sum, run) => sum + (run.cpu_ms_per_request ?? 0), 0) / runs.length, 2);
    return {
      hostile_cpu_ms_per_request: mean(hostile),
      plain_cpu_ms_per_request: mean(plain),
      hostile_p50_ms: hostile[1].p50_ms,
      plain_p50_ms: plain[1].p50_ms,
    };
  } finally {
    await app.stop();
  }
}

/** Kafka activity messages with one field of FIELD_BYTES characters, each a different way to be bad. */
function hostileMessages(): Record<string, object | string> {
  const big = `${'a'.repeat(FIELD_BYTES - 2)}@x`;
  const valid = {
    eventType: 'PAYMENT_SUCCESS',
    recipientScope: 'users',
    recipientIds: ['u-1'],
    actorId: 'a-1',
    actor: { id: 'a-1', name: 'Jane', type: 'user' },
    organizerId: 'org-1',
    data: { payment: { id: 'p-1', subject: 'fee' } },
    occurredAt: '2026-12-01T10:00:00Z',
  };
  return {
    unknown_event_type: { ...valid, eventType: big },
    occurred_at: { ...valid, occurredAt: `2026-12-01T10:00:00.${'0'.repeat(FIELD_BYTES)}:` },
    actor_id: { ...valid, actorId: big },
    recipient_id: { ...valid, recipientIds: [big] },
    event_id: { ...valid, eventId: big },
    invalid_json: `{"eventType":"${big}`,
  };
}

/**
 * The activity handler's path for one message (parse, validate, the dead-letter reason) and the transport's
 * log line of that reason through Signal's pino options, to /dev/null. Nothing reaches the
 * database: every message here is refused before the insert.
 */
async function measureActivityHandler() {
  const config = loadSignalConfig({
    NODE_ENV: 'test',
    SIGNAL_JWT_SECRET: 'bench-hostile-jwt-secret-0123456789',
    SIGNAL_API_KEYS: 'bench-hostile-api-key-0123456789',
  });
  const noRows = { insertIgnoringDuplicates: () => Promise.resolve([]) };
  const handler = new ActivityNotificationHandler(
    new ActivityTemplateRegistry(config),
    noRows as never,
    {} as never,
    config,
  );
  const logger = pino(
    signalPinoOptions('log'),
    pino.destination({ dest: '/dev/null', sync: true }),
  );
  const results: Record<string, { ms: number; reason_chars: number }> = {};
  for (const [name, value] of Object.entries(hostileMessages())) {
    const message: KafkaInboundMessage = {
      offset: '0',
      key: null,
      value: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
      headers: {},
      timestamp: '0',
    };
    let reasonChars = 0;
    const times: number[] = [];
    for (let i = 0; i <= REPEATS; i++) {
      const started = performance.now();
      const outcome = await handler.handle({
        topic: 'bench',
        partition: 0,
        messages: [message],
      });
      if (outcome.kind !== 'done' || outcome.rejected.length !== 1) {
        throw new Error(`${name} was not refused: ${JSON.stringify(outcome).slice(0, 200)}`);
      }
      const [rejected] = outcome.rejected;
      logger.warn(`bench[0]@0 dead-lettered: ${rejected.errorClass}: ${rejected.message}`);
      times.push(performance.now() - started);
      reasonChars = rejected.message.length;
    }
    results[name] = {
      ms: round(percentile(times.slice(1), 0.5), 2) ?? 0,
      reason_chars: reasonChars,
    };
  }
  return results;
}

async function main() {
  say(`masking a ${hostileUrl.length}-character URL of "a…a@x"`);
  const masking = measureMasking();
  console.table(masking);
  say(`Kafka activity messages with a ${FIELD_BYTES}-character field through the activity handler`);
  const kafka = await measureActivityHandler();
  console.table(kafka);
  say(`${REQUESTS} requests of each URL against the built app`);
  const http = await measureHttp();
  console.table(http);
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(
    join(ROOT, 'bench', 'results', 'hostile-input.json'),
    JSON.stringify(
      {
        at: new Date().toISOString(),
        url_chars: hostileUrl.length,
        field_bytes: FIELD_BYTES,
        masking,
        http,
        kafka,
        notes: {
          masking: 'median ms of maskEmailsInText / loggableText (cut, then masked) on the URL',
          http: "the app process's CPU ms per GET (404, access-logged at warn), hostile vs a URL as long without @",
          kafka:
            "median ms of the activity handler's path (parse, validate, reason) plus the masked log line",
        },
      },
      null,
      2,
    ),
  );
  say('wrote bench/results/hostile-input.json');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
