/**
 * `npm run bench:fanout`: Socket.IO fan-out of the built Signal app against a bare Socket.IO
 * server on the same Redis adapter, with the load generator in separate processes. A benchmark:
 * it reports what it measured (table + bench/results/fanout.json) and never fails on a figure.
 *
 *   --clients 5000,10000  --rate 2000  --seconds 10  --workers 4  --connect-concurrency 256
 *   --burst 20000  --rounds 4  --concurrency 64  --broadcasts 5  --broadcast-interval-ms 2000  --warmup 10000
 *   --targets signal,reference  --out bench/results/fanout.json
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createTestSchema, TestSchema } from '@signal/persistence/testing/test-schema';
import { BenchOptions, measureTargets, Target } from './measure';
import { buildReport, formatTable, RunResult, toRun } from './report';
import { sourceRevision } from '../support/run-facts';
import { ROOT } from '../support/server-process';

function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      clients: { type: 'string', default: '5000,10000' },
      targets: { type: 'string', default: 'signal,reference' },
      rate: { type: 'string', default: '2000' },
      seconds: { type: 'string', default: '10' },
      workers: { type: 'string', default: '4' },
      'connect-concurrency': { type: 'string', default: '256' },
      burst: { type: 'string', default: '20000' },
      rounds: { type: 'string', default: '4' },
      concurrency: { type: 'string', default: '64' },
      broadcasts: { type: 'string', default: '5' },
      'broadcast-interval-ms': { type: 'string', default: '2000' },
      warmup: { type: 'string', default: '10000' },
      out: { type: 'string', default: 'bench/results/fanout.json' },
    },
  });
  const positive = (name: keyof typeof values): number => {
    const value = Number(values[name]);
    if (!Number.isInteger(value) || value <= 0) {
      throw new Error(`--${name} must be a positive integer`);
    }
    return value;
  };
  const targets = String(values.targets).split(',') as Target[];
  if (!targets.includes('signal') || targets.some((t) => t !== 'signal' && t !== 'reference')) {
    throw new Error('--targets must be "signal" or "signal,reference"');
  }
  return {
    clients: String(values.clients)
      .split(',')
      .map((clients) => {
        const value = Number(clients);
        if (!Number.isInteger(value) || value <= 0) throw new Error('--clients: positive integers');
        return value;
      }),
    targets,
    rate: positive('rate'),
    seconds: positive('seconds'),
    workers: positive('workers'),
    connectConcurrency: positive('connect-concurrency'),
    burst: positive('burst'),
    rounds: positive('rounds'),
    concurrency: positive('concurrency'),
    broadcasts: positive('broadcasts'),
    broadcastIntervalMs: positive('broadcast-interval-ms'),
    warmup: positive('warmup'),
    out: String(values.out),
  };
}

async function measureRun(clients: number, options: BenchOptions, schema: TestSchema) {
  const results = await measureTargets(options.targets, clients, options, schema);
  return toRun(results.get('signal')!, results.get('reference') ?? null);
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  const loadAverageAtStart = Number(loadavg()[0].toFixed(2));
  const source = sourceRevision();
  const options = parseOptions(process.argv.slice(2));
  console.log(`fan-out benchmark: ${JSON.stringify(options)}`);
  // Signal boots against PostgreSQL; a schema of its own, dropped at the end.
  const schema = await createTestSchema('bench_fanout');
  dropSchema = () => schema.drop();
  const runs: RunResult[] = [];
  try {
    for (const clients of options.clients) {
      const run = await measureRun(clients, options, schema);
      runs.push(run);
      console.log(`\n${formatTable(run, options)}\n`);
    }
  } finally {
    dropSchema = null;
    await schema.drop();
  }
  const wallSeconds = Math.round((Date.now() - startedAt) / 1000);
  const report = buildReport(runs, options, { wallSeconds, loadAverageAtStart, source });
  const out = resolve(ROOT, options.out);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  for (const run of runs) console.log(`\n${formatTable(run, options)}`);
  console.log(`\ntargets: ${JSON.stringify(report.targets_summary)}`);
  console.log(`wrote ${options.out} in ${wallSeconds} s`);
}

let dropSchema: (() => Promise<void>) | null = null;

/** Ctrl-C or kill: drop the schema; the exit handler of server-process.ts kills every child. */
function onSignal(signal: NodeJS.Signals): void {
  console.error(`${signal}: cleaning up`);
  const drop = dropSchema?.() ?? Promise.resolve();
  const timeout = new Promise((resolve) => setTimeout(resolve, 5_000));
  void Promise.race([drop.catch(() => undefined), timeout]).then(() => process.exit(130));
}
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);

main().then(
  () => process.exit(),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
