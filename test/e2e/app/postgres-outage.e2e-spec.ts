import type { TestSchema } from '@signal/persistence/testing/test-schema';
import { pushPayload } from '../../../libs/phx-node/test/payloads';
import { createTestSchema, SignalTestApp, startSignalTestApp } from '../../support/signal-test-app';
import { TcpProxy } from '../../support/tcp-proxy';
import { TEST_API_KEY, userToken } from '../../support/tokens';
import { uniqueName } from '../../support/unique-name';
import { waitFor } from '../../support/wait-for';

interface Answer {
  route: string;
  status: number;
  retryAfter: string | null;
  body: { id?: string; error?: string; message?: string };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PostgreSQL going away under Producer load (real PostgreSQL behind a proxy the test cuts)', () => {
  let db: TestSchema;
  let proxy: TcpProxy;
  let signal: SignalTestApp;
  const answers: Answer[] = [];
  let loading = true;
  let load: Promise<void>;

  async function call(route: string, path: string, init: RequestInit = {}): Promise<Answer> {
    const response = await fetch(`${signal.baseUrl}${path}`, init);
    const answer: Answer = {
      route,
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      body: (await response.json()) as Answer['body'],
    };
    answers.push(answer);
    return answer;
  }

  const send = () =>
    call('POST /emit/inapp-noti', '/emit/inapp-noti', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-api-key': TEST_API_KEY,
        'idempotency-key': uniqueName('outage'),
      },
      body: JSON.stringify({
        ...pushPayload({ user_id: 'u-outage', action_code: 'FEE:NOTICE' }),
        inApp: { title: 'Học phí', message: 'Đã cập nhật' },
      }),
    });

  /** One read and one write route of each kind of caller besides the Producer. */
  const otherRoutes = () =>
    Promise.all([
      call('GET /admin/notification-settings', '/admin/notification-settings', {
        headers: { 'x-api-key': TEST_API_KEY },
      }),
      call('PUT /admin/users/:userId/preferences', '/admin/users/u-outage/preferences', {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'x-api-key': TEST_API_KEY },
        body: JSON.stringify({ preferences: [] }),
      }),
      call('GET /notifications', '/notifications', {
        headers: { authorization: `Bearer ${userToken({ sub: 'u-outage' })}` },
      }),
      call('GET /notification-center/unread-counts', '/notification-center/unread-counts', {
        headers: { authorization: `Bearer ${userToken({ sub: 'u-outage' })}` },
      }),
    ]);

  /** Sends until a send is accepted again. */
  const recovered = () =>
    waitFor(
      'a send accepted again',
      async () => ((await send()).status === 202 ? true : undefined),
      {
        timeoutMs: 30_000,
        intervalMs: 200,
      },
    );

  beforeAll(async () => {
    db = await createTestSchema('postgres-outage');
    const target = new URL(db.options.url);
    proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    await proxy.start();
    const proxied = new URL(db.options.url);
    proxied.host = `127.0.0.1:${proxy.port}`;
    signal = await startSignalTestApp(db, {
      DATABASE_URL: proxied.toString(),
      DATABASE_CONNECT_TIMEOUT_MS: '1000',
      KAFKA_TOPIC_PHX_PUSH: uniqueName('postgres-outage'),
    });
    await fetch(`${signal.baseUrl}/admin/notification-settings/FEE:NOTICE`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'x-api-key': TEST_API_KEY },
      body: JSON.stringify({ enabled: true, critical: false, channels: ['push', 'in_app'] }),
    });
    // Eight Producer callers, each sending again as soon as it has an answer.
    load = Promise.all(
      Array.from({ length: 8 }, async () => {
        while (loading) await send();
      }),
    ).then(() => undefined);
  });

  afterAll(async () => {
    loading = false;
    await load;
    await signal?.close();
    await proxy?.stop();
    await db?.drop();
  });

  it('should answer 503 with Retry-After while PostgreSQL refuses and resets, then recover', async () => {
    await sleep(500);
    const before = answers.length;
    await proxy.stop();
    await sleep(1500);
    const during = await otherRoutes();
    await sleep(1000);
    await proxy.start();
    await recovered();

    const outage = answers.slice(before);
    expect(outage.filter((answer) => answer.status === 503).length).toBeGreaterThan(0);
    expect(during.map((answer) => [answer.route, answer.status, answer.retryAfter])).toEqual(
      during.map((answer) => [answer.route, 503, '5']),
    );
    expect((await otherRoutes()).map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
  });

  it('should answer 503 when no connection comes free in time (PostgreSQL hangs)', async () => {
    proxy.stall();
    // Sends whose statements went through before the stall still answer 202 a moment later.
    await sleep(300);
    const before = answers.length;
    // More callers than connections and batch slots: the first hang with PostgreSQL, the rest wait.
    const extra = Promise.all([
      ...Array.from({ length: 20 }, () => send()),
      ...Array.from({ length: 4 }, () => otherRoutes()),
    ]);
    await sleep(2500);
    const answeredWhileHanging = answers.slice(before);
    await proxy.stop();
    await extra;
    await proxy.start();
    await recovered();

    expect(answeredWhileHanging.length).toBeGreaterThan(0);
    expect(answeredWhileHanging.map((answer) => answer.status)).toEqual(
      answeredWhileHanging.map(() => 503),
    );
  });

  it('should only ever have answered 202, or 503 naming PostgreSQL with Retry-After, and stored every 202', async () => {
    loading = false;
    await load;

    const unexpected = answers.filter(
      (answer) =>
        !(answer.status === 202 || answer.status === 200) &&
        !(
          answer.status === 503 &&
          answer.retryAfter === '5' &&
          answer.body.error === 'DEPENDENCY_UNAVAILABLE' &&
          answer.body.message === 'postgresql unavailable, retry later'
        ),
    );
    expect(unexpected).toEqual([]);
    const accepted = answers
      .filter((answer) => answer.route === 'POST /emit/inapp-noti' && answer.status === 202)
      .map((answer) => answer.body.id);
    const rows: { id: string }[] = await db.dataSource.query(
      `SELECT id FROM phx_push_requests WHERE id = ANY($1::uuid[])`,
      [accepted],
    );
    expect(rows.length).toBe(accepted.length);
    expect(accepted.length).toBeGreaterThan(0);
  });
});
