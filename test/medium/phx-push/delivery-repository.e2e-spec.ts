import { PhxChannel, PhxDeliveryRepository } from '@signal/persistence';
import type { TestSchema } from '@signal/persistence/testing/test-schema';
import { DataSource } from 'typeorm';
import { createTestSchema } from '../../support/signal-test-app';

interface ChannelRow {
  status: string;
  attempts?: number;
  /** The channel's next_attempt_at, this far from now; none when absent. */
  dueInMs?: number;
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

/** The tables `node` and its children read in full. */
function seqScansOf(node: PlanNode): string[] {
  const here = node['Node Type'] === 'Seq Scan' ? [node['Relation Name'] ?? '?'] : [];
  return [...here, ...(node.Plans ?? []).flatMap(seqScansOf)];
}

describe('PhxDeliveryRepository: the Consumer batch statements on real PostgreSQL', () => {
  let db: TestSchema;
  let sut: PhxDeliveryRepository;
  let keys = 0;

  beforeAll(async () => {
    db = await createTestSchema('phx-delivery-repository');
    sut = new PhxDeliveryRepository(db.dataSource);
  });

  afterAll(async () => {
    await db?.drop();
  });

  beforeEach(async () => {
    await db.dataSource.query(`TRUNCATE phx_push_requests CASCADE`);
  });

  /** An accepted request with these channels; answers its id. */
  async function aRequest(channels: Partial<Record<PhxChannel, ChannelRow>>): Promise<string> {
    const [{ id }]: { id: string }[] = await db.dataSource.query(
      `INSERT INTO phx_push_requests (idempotency_key, user_id, type, action_code, hostname, payload, status)
       VALUES ($1, 'u-repo', 'TO_ME', 'FEE:NOTICE', 'portal.phx.vn', '{}', 'accepted')
       RETURNING id`,
      [`repo-${keys++}`],
    );
    const rows = Object.entries(channels);
    await db.dataSource.query(
      `INSERT INTO phx_deliveries (request_id, channel, status, attempts, next_attempt_at)
       SELECT $1, c.channel, c.status, c.attempts,
              now() + make_interval(secs => c.due_in_ms / 1000)
         FROM unnest($2::varchar[], $3::varchar[], $4::int[], $5::double precision[])
                AS c(channel, status, attempts, due_in_ms)`,
      [
        id,
        rows.map(([channel]) => channel),
        rows.map(([, row]) => row.status),
        rows.map(([, row]) => row.attempts ?? 0),
        rows.map(([, row]) => row.dueInMs ?? null),
      ],
    );
    return id;
  }

  async function channelOf(requestId: string, channel: PhxChannel) {
    const [row]: {
      status: string;
      reason: string | null;
      attempts: number;
      detail: Record<string, unknown> | null;
      due_in_s: number | null;
    }[] = await db.dataSource.query(
      `SELECT status, reason, attempts, detail,
              extract(epoch FROM next_attempt_at - now())::float AS due_in_s
         FROM phx_deliveries WHERE request_id = $1 AND channel = $2`,
      [requestId, channel],
    );
    return row;
  }

  const byKey = (a: { requestId: string; channel: string }, b: typeof a) =>
    `${a.requestId} ${a.channel}`.localeCompare(`${b.requestId} ${b.channel}`);

  it('should claim the due channels of a batch at once, counting each attempt, and leave the others alone', async () => {
    // Never tried, whether or not the Kafka path gave it a due time already.
    const fresh = await aRequest({
      push: { status: 'pending' },
      email: { status: 'pending', dueInMs: 60_000 },
    });
    const retrying = await aRequest({
      push: { status: 'pending', attempts: 1, dueInMs: 60_000 },
      email: { status: 'pending', attempts: 2, dueInMs: -1000 },
    });
    const leased = await aRequest({
      push: { status: 'sending', attempts: 1, dueInMs: 60_000 },
      email: { status: 'sending', attempts: 1, dueInMs: -1000 },
    });
    const done = await aRequest({
      push: { status: 'sent', attempts: 1 },
      email: { status: 'failed', attempts: 1 },
    });
    const all = [fresh, retrying, leased, done].flatMap((requestId) =>
      (['push', 'email'] as const).map((channel) => ({ requestId, channel })),
    );

    const claimed = await sut.claimMany(all, 30_000);

    expect(claimed.sort(byKey)).toEqual(
      [
        { requestId: fresh, channel: 'push', attempts: 1 },
        { requestId: fresh, channel: 'email', attempts: 1 },
        { requestId: retrying, channel: 'email', attempts: 3 },
        { requestId: leased, channel: 'email', attempts: 2 },
      ].sort(byKey),
    );
    for (const { requestId, channel } of claimed) {
      const row = await channelOf(requestId, channel);
      expect(row.status).toBe('sending');
      expect(row.due_in_s).toBeGreaterThan(20);
    }
    expect(await channelOf(retrying, 'push')).toMatchObject({ status: 'pending', attempts: 1 });
    expect(await channelOf(done, 'email')).toMatchObject({ status: 'failed', attempts: 1 });
    // Now leased to the first claim.
    expect(await sut.claimMany(all, 30_000)).toEqual([]);
  });

  it('should leave a channel another transaction holds to it, without waiting', async () => {
    const id = await aRequest({ push: { status: 'pending' } });
    const other = db.dataSource.createQueryRunner();
    await other.connect();
    try {
      await other.startTransaction();
      await other.query(
        `SELECT 1 FROM phx_deliveries WHERE request_id = $1 AND channel = 'push' FOR UPDATE`,
        [id],
      );

      expect(await sut.claimMany([{ requestId: id, channel: 'push' }], 30_000)).toEqual([]);

      await other.rollbackTransaction();
      expect(await sut.claimMany([{ requestId: id, channel: 'push' }], 30_000)).toEqual([
        { requestId: id, channel: 'push', attempts: 1 },
      ]);
    } finally {
      await other.release();
    }
  });

  it('should settle a batch of outcomes in one call: final ones lose their due time, retries get theirs', async () => {
    const first = await aRequest({
      push: { status: 'sending', attempts: 1, dueInMs: 30_000 },
      email: { status: 'sending', attempts: 1, dueInMs: 30_000 },
    });
    const second = await aRequest({ push: { status: 'sending', attempts: 2, dueInMs: 30_000 } });
    await db.dataSource.query(
      `UPDATE phx_deliveries SET detail = '{"provider": "earlier"}' WHERE request_id = $1`,
      [second],
    );

    const settled = await sut.settleMany([
      {
        requestId: first,
        channel: 'push',
        attempt: 1,
        status: 'sent',
        reason: '1 of 2 devices not reached',
        detail: { provider: 'webhook', devices: 2 },
      },
      {
        requestId: first,
        channel: 'email',
        attempt: 1,
        status: 'pending',
        reason: 'attempt 1 of 5 failed: busy',
        retryInMs: 5000,
      },
      { requestId: second, channel: 'push', attempt: 2, status: 'failed', reason: 'gone' },
    ]);

    expect(settled).toHaveLength(3);

    expect(await channelOf(first, 'push')).toEqual({
      status: 'sent',
      reason: '1 of 2 devices not reached',
      attempts: 1,
      detail: { provider: 'webhook', devices: 2 },
      due_in_s: null,
    });
    const retry = await channelOf(first, 'email');
    expect(retry).toMatchObject({ status: 'pending', reason: 'attempt 1 of 5 failed: busy' });
    expect(retry.due_in_s).toBeGreaterThan(3);
    expect(retry.due_in_s).toBeLessThanOrEqual(5);
    // No detail given: the one stored stays.
    expect(await channelOf(second, 'push')).toEqual({
      status: 'failed',
      reason: 'gone',
      attempts: 2,
      detail: { provider: 'earlier' },
      due_in_s: null,
    });
  });

  it('should settle only the claim that holds the channel now: a late settle of an attempt whose lease ran out changes nothing', async () => {
    const id = await aRequest({ push: { status: 'pending' } });
    const [first] = await sut.claimMany([{ requestId: id, channel: 'push' }], 1000);
    // The lease runs out while the first attempt is still sending: another claim takes over.
    await db.dataSource.query(
      `UPDATE phx_deliveries SET next_attempt_at = now() - interval '1 second' WHERE request_id = $1`,
      [id],
    );
    const [second] = await sut.claimMany([{ requestId: id, channel: 'push' }], 30_000);
    expect([first.attempts, second.attempts]).toEqual([1, 2]);

    expect(
      await sut.settleMany([
        { requestId: id, channel: 'push', attempt: 2, status: 'sent', reason: null },
      ]),
    ).toEqual([{ requestId: id, channel: 'push' }]);
    const late = await sut.settleMany([
      {
        requestId: id,
        channel: 'push',
        attempt: 1,
        status: 'pending',
        reason: 'attempt 1 of 5 failed: timeout',
        retryInMs: 100,
      },
    ]);

    expect(late).toEqual([]);
    expect(await channelOf(id, 'push')).toMatchObject({
      status: 'sent',
      reason: null,
      attempts: 2,
      due_in_s: null,
    });
    // Nor can the superseded attempt settle a channel no one holds any more.
    expect(
      await sut.settleMany([
        { requestId: id, channel: 'push', attempt: 2, status: 'failed', reason: 'again' },
      ]),
    ).toEqual([]);
  });

  it('should answer a settlement repeated after a lost reply as taken, changing nothing', async () => {
    const id = await aRequest({ email: { status: 'pending' } });
    const [claim] = await sut.claimMany([{ requestId: id, channel: 'email' }], 30_000);
    const settlement = {
      requestId: id,
      channel: 'email' as const,
      attempt: claim.attempts,
      status: 'pending' as const,
      reason: 'attempt 1 of 5 failed: busy',
      retryInMs: 60_000,
    };
    expect(await sut.settleMany([settlement])).toEqual([{ requestId: id, channel: 'email' }]);
    // Due sooner than the repeat would make it: a repeat that wrote again would move it.
    await db.dataSource.query(
      `UPDATE phx_deliveries SET next_attempt_at = now() + interval '10 seconds' WHERE request_id = $1`,
      [id],
    );

    expect(await sut.settleMany([settlement])).toEqual([{ requestId: id, channel: 'email' }]);
    const stored = await channelOf(id, 'email');
    expect(stored).toMatchObject({ status: 'pending', reason: settlement.reason, attempts: 1 });
    expect(stored.due_in_s).toBeLessThanOrEqual(10);
    // A different outcome of the same attempt is not what landed: refused.
    expect(await sut.settleMany([{ ...settlement, status: 'failed', reason: 'gone' }])).toEqual([]);
  });

  it('should find the requests with a due channel oldest first, each once, up to the limit', async () => {
    const twoDue = await aRequest({
      push: { status: 'pending', attempts: 1, dueInMs: -3000 },
      email: { status: 'sending', attempts: 1, dueInMs: -1000 },
    });
    const oneDue = await aRequest({ push: { status: 'pending', attempts: 1, dueInMs: -2000 } });
    const oldest = await aRequest({ email: { status: 'sending', attempts: 1, dueInMs: -4000 } });
    await aRequest({ push: { status: 'pending', attempts: 1, dueInMs: 60_000 } });
    await aRequest({ push: { status: 'sent', attempts: 1 }, in_app: { status: 'pending' } });

    expect(await sut.dueRequestIds(2)).toEqual([oldest, twoDue]);
    expect(await sut.dueRequestIds(10)).toEqual([oldest, twoDue, oneDue]);
  });

  it('should find the channels of a batch by key, with no statistics on 30,000 channels', async () => {
    for (const table of ['phx_push_requests', 'phx_deliveries', 'phx_notification_records']) {
      await db.dataSource.query(`ALTER TABLE ${table} SET (autovacuum_enabled = false)`);
    }
    await db.dataSource.query(
      `INSERT INTO phx_push_requests (idempotency_key, user_id, type, action_code, hostname, payload, status)
       SELECT 'bulk-' || n, 'u-' || (n % 100), 'TO_ME', 'FEE:NOTICE', 'h', '{}', 'accepted'
         FROM generate_series(1, 10000) n`,
    );
    await db.dataSource.query(
      `INSERT INTO phx_deliveries (request_id, channel, status)
       SELECT id, channel, 'pending' FROM phx_push_requests, unnest(ARRAY['in_app', 'push', 'email']) channel`,
    );
    const ids = (
      await db.dataSource.query<{ id: string }[]>(`SELECT id FROM phx_push_requests LIMIT 43`)
    ).map((row) => row.id);
    const channels = ids.flatMap((requestId) =>
      (['push', 'email'] as const).map((channel) => ({ requestId, channel })),
    );
    // The statements each method runs (prepared, on the driver's pool), explained rather than run.
    const statements: { sql: string; params: unknown[] }[] = [];
    const explained = new PhxDeliveryRepository({
      driver: {
        master: {
          query: ({ text, values }: { text: string; values: unknown[] }) => {
            statements.push({ sql: text, params: values });
            return Promise.resolve({ rows: [] });
          },
        },
      },
    } as unknown as DataSource);
    await explained.loadMany(ids);
    await explained.claimMany(channels, 30_000);
    await explained.settleMany(
      channels.map((c) => ({ ...c, attempt: 1, status: 'sent' as const, reason: null })),
    );

    expect(statements).toHaveLength(3);
    for (const { sql, params } of statements) {
      const [{ 'QUERY PLAN': plan }]: { 'QUERY PLAN': { Plan: PlanNode }[] }[] =
        await db.dataSource.query(`EXPLAIN (FORMAT JSON) ${sql}`, params);
      // (Requests may be read in full: with rows this small, 43 of 10,000 cost about as much.)
      expect({ sql, seqScans: seqScansOf(plan[0].Plan) }).toEqual({
        sql,
        seqScans: expect.not.arrayContaining(['phx_deliveries']) as unknown,
      });
    }
    const states = await sut.loadMany(ids.slice(0, 2));
    expect([...states.values()].map((state) => state.deliveries.map((d) => d.channel))).toEqual([
      ['email', 'in_app', 'push'],
      ['email', 'in_app', 'push'],
    ]);
  });
});
