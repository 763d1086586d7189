import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { maxOf, percentile, round } from '../support/stats';

export interface Timing {
  p50_ms: number | null;
  p99_ms: number | null;
  max_ms: number | null;
  samples: number;
}

export interface SampleOptions {
  samples: number;
  warmup: number;
}

/**
 * One user's REST client: sequential requests on one keep-alive connection, timed to the last
 * byte. `node:http` rather than `fetch`: undici's per-request allocations made this process's
 * own scavenges pause it 14–23 ms about once a second, inside timed requests (`--trace-gc`).
 */
export class UserClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });
  private readonly headers: Record<string, string>;

  constructor(
    private readonly baseUrl: string,
    token: string,
  ) {
    this.headers = { authorization: `Bearer ${token}` };
  }

  async call(
    method: 'GET' | 'POST' | 'PATCH',
    path: string,
  ): Promise<{ ms: number; body: unknown }> {
    const startedAt = performance.now();
    const { status, text } = await new Promise<{ status: number; text: string }>(
      (resolve, reject) => {
        const req = request(
          `${this.baseUrl}${path}`,
          { method, headers: this.headers, agent: this.agent },
          (response) => {
            let text = '';
            response.setEncoding('utf8');
            response.on('data', (chunk: string) => (text += chunk));
            response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
            response.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end();
      },
    );
    const ms = performance.now() - startedAt;
    if (status < 200 || status >= 300) throw new Error(`${method} ${path}: ${status} ${text}`);
    return { ms, body: JSON.parse(text) as unknown };
  }

  close(): void {
    this.agent.destroy();
  }
}

/**
 * `warmup` untimed calls, then `samples` timed ones, one after the other. `prepare(n)` runs before
 * call n, outside the timing.
 */
export async function sample(
  options: SampleOptions,
  call: (n: number) => Promise<number>,
  prepare: (n: number) => Promise<void> = () => Promise.resolve(),
): Promise<Timing> {
  const timings: number[] = [];
  for (let n = 0; n < options.warmup + options.samples; n++) {
    await prepare(n);
    const ms = await call(n);
    if (n >= options.warmup) timings.push(ms);
  }
  return {
    p50_ms: round(percentile(timings, 0.5), 2),
    p99_ms: round(percentile(timings, 0.99), 2),
    max_ms: round(maxOf(timings), 2),
    samples: timings.length,
  };
}

/** The activity inbox or the Notification Center, as one member sees it, and how to grow it. */
export interface InboxUnderTest {
  /** The list endpoint, e.g. `/notifications`. */
  list: string;
  unreadCount: string;
  readAll: string;
  markRead: (id: string) => string;
  /** The unread total in an answer of `unreadCount`. */
  totalOf: (body: unknown) => number;
  /** A seq far back in the member's history. */
  deepCursor: string;
  /** Distinct unread items of the member, at least warmup + samples of them. */
  unreadIds: string[];
  /** Adds `count` new unread items for the member, straight in the database. */
  addUnread: (count: number) => Promise<void>;
}

export interface InboxTimings {
  first_page: Timing;
  deep_page: Timing & { cursor: string };
  unread_page: Timing;
  unread_count: Timing & { unread: number };
  mark_read: Timing;
  /** The first read-all, over the whole unread backlog of the seed: one call. */
  read_all_backlog: { ms: number; marked: number; exact: boolean };
  /** Each call after `NEW_PER_READ_ALL` new items. */
  read_all: Timing & { new_per_call: number; exact: boolean };
  unread_page_after_read_all: Timing;
  unread_count_after_read_all: Timing & { unread: number };
}

const PAGE = 20;
const NEW_PER_READ_ALL = 3;

/**
 * Every operation of the inbox in turn. Counts are checked on the way: read-all over the backlog
 * must mark what unread-count said less the single marks since, each later one exactly the new
 * items, and nothing may be unread after it.
 */
export async function measureInbox(
  client: UserClient,
  inbox: InboxUnderTest,
  options: SampleOptions,
): Promise<InboxTimings> {
  const get = (path: string) => async () => (await client.call('GET', path)).ms;
  const page = `${inbox.list}?limit=${PAGE}`;
  const first_page = await sample(options, get(page));
  const deep_page = await sample(options, get(`${page}&cursor=${inbox.deepCursor}`));
  const unread_page = await sample(options, get(`${page}&unread=true`));
  let unread = 0;
  const unread_count = await sample(options, async () => {
    const { ms, body } = await client.call('GET', inbox.unreadCount);
    unread = inbox.totalOf(body);
    return ms;
  });
  const marks = options.warmup + options.samples;
  if (inbox.unreadIds.length < marks) throw new Error(`only ${inbox.unreadIds.length} unread ids`);
  const mark_read = await sample(
    options,
    async (n) => (await client.call('PATCH', inbox.markRead(inbox.unreadIds[n]))).ms,
  );

  const markedBy = async () => {
    const { ms, body } = await client.call('POST', inbox.readAll);
    return { ms, marked: (body as { marked: number }).marked };
  };
  const backlog = await markedBy();
  let allExact = true;
  const read_all = await sample(
    options,
    async () => {
      const { ms, marked } = await markedBy();
      allExact &&= marked === NEW_PER_READ_ALL;
      return ms;
    },
    () => inbox.addUnread(NEW_PER_READ_ALL),
  );

  const unread_page_after_read_all = await sample(options, get(`${page}&unread=true`));
  let unreadAfter = 0;
  const unread_count_after_read_all = await sample(options, async () => {
    const { ms, body } = await client.call('GET', inbox.unreadCount);
    unreadAfter = inbox.totalOf(body);
    return ms;
  });
  return {
    first_page,
    deep_page: { ...deep_page, cursor: inbox.deepCursor },
    unread_page,
    unread_count: { ...unread_count, unread },
    mark_read,
    read_all_backlog: {
      ms: round(backlog.ms, 2) ?? 0,
      marked: backlog.marked,
      exact: backlog.marked === unread - marks,
    },
    read_all: { ...read_all, new_per_call: NEW_PER_READ_ALL, exact: allExact },
    unread_page_after_read_all,
    unread_count_after_read_all: { ...unread_count_after_read_all, unread: unreadAfter },
  };
}
