import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { JwtService } from '@nestjs/jwt';
import { buildDataSourceOptions, runMigrations } from '@signal/persistence';
import { TEST_DATABASE_URL } from '@signal/persistence/testing/test-schema';
import { DataSource } from 'typeorm';
import { UserPrincipal } from '../../apps/signal/src/auth/user-principal';
import { machineFacts, sourceRevision } from '../support/run-facts';
import { ROOT, startBuiltSignal } from '../support/server-process';
import { measureSteal } from '../support/stats';
import { InboxUnderTest, measureInbox, sample, SampleOptions, UserClient } from './measure';
import { buildReport, printSize, SizeResult } from './report';
import {
  activityCursorAt,
  addMemberRecords,
  addOrganizerRows,
  centerCursorAt,
  LAYOUT,
  MEMBER,
  seed,
  SMALL,
  unreadActivityIds,
  unreadRecordIds,
} from './seed';

const SECRET = 'bench-inbox-jwt-secret-0123456789';
const API_KEY = 'bench-inbox-api-key-0123456789';
const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000000,10000000' },
    samples: { type: 'string', default: '200' },
    warmup: { type: 'string', default: '20' },
    // Notification Center records: as many as activity rows, up to this many (seeding time).
    'center-max': { type: 'string', default: '3000000' },
    // Leaves the schema behind for EXPLAIN; drop it by hand.
    keep: { type: 'boolean', default: false },
  },
});
function integerOption(name: string, value: string, min = 1): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < min) {
    throw new Error(`--${name} must be an integer of at least ${min}, not "${value}"`);
  }
  return number;
}
const SIZES = args.sizes.split(',').map((size) => integerOption('sizes', size));
const CENTER_MAX = integerOption('center-max', args['center-max']);
const OPTIONS: SampleOptions = {
  samples: integerOption('samples', args.samples),
  warmup: integerOption('warmup', args.warmup, 0),
};
const schema = `bench_inbox_${Date.now().toString(36)}`;
const say = (line: string) => console.log(`==> ${line}`);

function tokenOf(principal: UserPrincipal): string {
  return new JwtService({}).sign(
    {
      sub: principal.userId,
      ...(principal.organizerId ? { organizerId: principal.organizerId } : {}),
      merchantIds: principal.merchantIds,
    },
    // Signal refuses tokens without exp; longer than any bench run.
    { secret: SECRET, expiresIn: '12h' },
  );
}

/** The member's two inboxes on `rows` seeded rows, with what each needs to be measured. */
async function inboxesOf(db: DataSource, seeded: SizeResult['seeded']) {
  const ids = OPTIONS.warmup + OPTIONS.samples;
  // A stride giving about 4 × `ids` seqs in all: the member's unread ones, newest first, reach
  // about halfway back.
  const strideOver = (rows: number) => Math.max(1, Math.floor(rows / 4 / ids));
  const activity: InboxUnderTest = {
    list: '/notifications',
    unreadCount: '/notifications/unread-count',
    readAll: '/notifications/read-all',
    markRead: (id) => `/notifications/${id}/read`,
    totalOf: (body) => (body as { count: number }).count,
    deepCursor: await activityCursorAt(db, Math.floor(seeded.activity_rows / 4)),
    unreadIds: await unreadActivityIds(db, ids, strideOver(seeded.activity_rows)),
    addUnread: (count) => addOrganizerRows(db, count),
  };
  const center: InboxUnderTest = {
    list: '/notification-center/records',
    unreadCount: '/notification-center/unread-counts',
    readAll: '/notification-center/records/read-all',
    markRead: (id) => `/notification-center/records/${id}/read`,
    totalOf: (body) => (body as { total: number }).total,
    deepCursor: await centerCursorAt(db, Math.floor(seeded.center_member_records / 4)),
    unreadIds: await unreadRecordIds(db, ids, strideOver(seeded.center_records)),
    addUnread: (count) => addMemberRecords(db, count),
  };
  return { activity, center };
}

async function measureSize(db: DataSource, rows: number): Promise<SizeResult> {
  const records = Math.min(rows, CENTER_MAX);
  say(`${rows} rows: seeding ${rows} activity rows and ${records} Notification Center records`);
  const seeded = await seed(db, rows, records);
  const perS = Math.round((seeded.activity_rows + 2 * seeded.center_records) / seeded.seconds);
  say(`${rows} rows: seeded in ${seeded.seconds} s (${perS} rows/s): ${JSON.stringify(seeded)}`);

  const inboxes = await inboxesOf(db, seeded);
  const app = await startBuiltSignal(schema, {
    SIGNAL_JWT_SECRET: SECRET,
    SIGNAL_API_KEYS: API_KEY,
    KAFKA_ENABLED: 'false',
  });
  const member = new UserClient(app.url, tokenOf(MEMBER));
  const small = new UserClient(app.url, tokenOf(SMALL));
  try {
    const steal = measureSteal();
    const firstPage = (path: string) => async () =>
      (await small.call('GET', `${path}?limit=20`)).ms;
    say(`${rows} rows: the small user's first pages`);
    const small_user = {
      activity_first_page: await sample(OPTIONS, firstPage(inboxes.activity.list)),
      center_first_page: await sample(OPTIONS, firstPage(inboxes.center.list)),
    };
    say(`${rows} rows: the member's activity inbox, ${OPTIONS.samples} samples per operation`);
    const activity = await measureInbox(member, inboxes.activity, OPTIONS);
    say(`${rows} rows: the member's Notification Center`);
    const notification_center = await measureInbox(member, inboxes.center, OPTIONS);
    return {
      rows,
      seeded,
      activity,
      notification_center,
      small_user,
      steal_pct: steal(),
      load_average: machineFacts().load_average,
    };
  } catch (error) {
    console.error(`the app's last output:\n${app.output()}`);
    throw error;
  } finally {
    member.close();
    small.close();
    await app.stop();
  }
}

/** Drops the run's schema once, after ending its own sessions (a seed may still be running). */
let dropped: Promise<void> | undefined;
function dropSchema(): Promise<void> {
  dropped ??= (async () => {
    if (args.keep) return say(`kept schema ${schema}: DROP SCHEMA "${schema}" CASCADE when done`);
    const admin = new DataSource({ type: 'postgres', url: TEST_DATABASE_URL });
    await admin.initialize();
    await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE application_name = $1 AND pid <> pg_backend_pid()`,
      [schema],
    );
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.destroy();
  })();
  return dropped;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    say(`${signal}: dropping ${schema}`);
    void dropSchema().finally(() => process.exit(130));
  });
}

async function main(): Promise<void> {
  const source = sourceRevision();
  const machine = machineFacts();
  await runMigrations({ url: TEST_DATABASE_URL, schema });
  const db = new DataSource({
    ...buildDataSourceOptions({ url: TEST_DATABASE_URL, schema, applicationName: schema }),
    poolSize: 2,
  });
  await db.initialize();
  const results: SizeResult[] = [];
  try {
    const [postgres]: { version: string; shared_buffers: string }[] = await db.query(
      `SELECT current_setting('server_version') AS version,
              current_setting('shared_buffers') AS shared_buffers`,
    );
    for (const rows of SIZES) {
      results.push(await measureSize(db, rows));
      printSize(results[results.length - 1]);
      const report = buildReport(results, {
        commit: source?.commit ?? null,
        uncommitted_app_changes: source?.uncommitted_app_changes ?? null,
        date: new Date().toISOString(),
        machine: { ...machine, postgres, load_average_at_end: machineFacts().load_average },
        options: { ...OPTIONS, sizes: SIZES, center_max: CENTER_MAX },
        layout: LAYOUT,
        notes:
          'p50/p99 over `samples` sequential HTTP requests of one member (after `warmup` untimed ones) to the built app, timed to the last byte of the answer. ' +
          'Pages: limit 20, newest first; deep_page starts N/4 rows back (cursor from SQL). unread_count: GET …/unread-count(s). ' +
          'read_all: each call after 3 new items inserted in SQL outside the timing; read_all_backlog: the first call, over the whole unread history of the seed. ' +
          'exact: read-all marked what unread-count said less the single marks since, and exactly the new items each time. ' +
          'small_user: the first pages of a user with 20 rows, the floor of the same requests on this machine at this time. ' +
          'Top-level fields: the activity inbox at the largest size.',
      });
      mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
      writeFileSync(
        join(ROOT, 'bench', 'results', 'inbox.json'),
        `${JSON.stringify(report, null, 2)}\n`,
      );
      say('wrote bench/results/inbox.json');
    }
  } finally {
    await db.destroy();
    await dropSchema();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
