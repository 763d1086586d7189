import { PhxNotificationRecordRepository, PhxNotificationRecordView } from '@signal/persistence';
import type { TestSchema } from '@signal/persistence/testing/test-schema';
import request from 'supertest';
import { createTestSchema, SignalTestApp, startSignalTestApp } from '../../support/signal-test-app';
import { userToken } from '../../support/tokens';

interface Page {
  items: { id: string; type: string; studentId: number | null; title: string; isRead: boolean }[];
  nextCursor: string | null;
}

interface RecordSpec {
  user: string;
  title: string;
  type?: 'SYSTEM' | 'TO_ME';
  studentId?: number;
  inCenter?: boolean;
}

describe('Notification Center REST (real PostgreSQL)', () => {
  let db: TestSchema;
  let signal: SignalTestApp;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    db = await createTestSchema('notification-center');
    signal = await startSignalTestApp(db);
    http = request(signal.app.getHttpServer());
  });

  afterAll(async () => {
    await signal.close();
    await db.drop();
  });

  /** Records as the Consumer stores them: each behind a request of its own. */
  async function given(...specs: RecordSpec[]): Promise<PhxNotificationRecordView[]> {
    const records = specs.map((spec) => ({ ...spec, type: spec.type ?? 'SYSTEM' }));
    const requestIds: string[] = [];
    for (const spec of records) {
      const [{ id }]: { id: string }[] = await db.dataSource.query(
        `INSERT INTO phx_push_requests
           (idempotency_key, user_id, student_id, type, action_code, hostname, payload, status)
         VALUES (gen_random_uuid()::text, $1, $2, $3, 'FEE:NOTICE', 'school.test', '{}', 'delivered')
         RETURNING id`,
        [spec.user, spec.studentId ?? null, spec.type],
      );
      requestIds.push(id);
    }
    const stored = await signal.app.get(PhxNotificationRecordRepository).insertMany(
      records.map((spec, index) => ({
        requestId: requestIds[index],
        userId: spec.user,
        studentId: spec.studentId ?? null,
        type: spec.type,
        actionCode: 'FEE:NOTICE',
        moduleCode: 'FEE',
        title: spec.title,
        message: `${spec.title} body`,
        payload: { title: spec.title },
        hostname: 'school.test',
        channelStatus: { in_app: { status: 'sent' as const, reason: null } },
        inCenter: spec.inCenter ?? true,
      })),
    );
    return stored.map(({ record }) => record);
  }

  const as = (sub: string) => {
    const auth = `Bearer ${userToken({ sub })}`;
    return {
      list: async (query: Record<string, string | number | boolean> = {}) =>
        (
          await http
            .get('/notification-center/records')
            .query(query)
            .set('Authorization', auth)
            .expect(200)
        ).body as Page,
      counts: async () =>
        (
          await http
            .get('/notification-center/unread-counts')
            .set('Authorization', auth)
            .expect(200)
        ).body as Record<string, number>,
      markRead: (id: string) =>
        http.patch(`/notification-center/records/${id}/read`).set('Authorization', auth),
      markAll: (query: Record<string, string> = {}) =>
        http.post('/notification-center/records/read-all').query(query).set('Authorization', auth),
      raw: (path: string) => http.get(path).set('Authorization', auth),
    };
  };

  it('should list a user’s records newest first, by tab, by student and unread only', async () => {
    await given(
      { user: 'nc-tabs', title: 'system-1' },
      { user: 'nc-tabs', title: 'to-me-1', type: 'TO_ME', studentId: 7 },
      { user: 'nc-tabs', title: 'system-2', studentId: 7 },
      { user: 'nc-tabs', title: 'to-me-2', type: 'TO_ME', studentId: 8 },
      { user: 'nc-tabs', title: 'log-only', inCenter: false },
      { user: 'nc-someone-else', title: 'not-mine' },
    );
    const user = as('nc-tabs');

    expect((await user.list()).items.map((r) => r.title)).toEqual([
      'to-me-2',
      'system-2',
      'to-me-1',
      'system-1',
    ]);
    expect((await user.list({ type: 'TO_ME' })).items.map((r) => r.title)).toEqual([
      'to-me-2',
      'to-me-1',
    ]);
    expect((await user.list({ studentId: 7 })).items.map((r) => r.title)).toEqual([
      'system-2',
      'to-me-1',
    ]);
    expect((await user.list({ type: 'SYSTEM', studentId: 7 })).items.map((r) => r.title)).toEqual([
      'system-2',
    ]);
  });

  it('should page with a cursor that stays stable while new records arrive', async () => {
    await given(
      ...Array.from({ length: 7 }, (_, index) => ({ user: 'nc-pages', title: `r${index}` })),
    );
    const user = as('nc-pages');

    const first = await user.list({ limit: 3 });
    await given({ user: 'nc-pages', title: 'late' });
    const second = await user.list({ limit: 3, cursor: first.nextCursor! });
    const third = await user.list({ limit: 3, cursor: second.nextCursor! });

    expect(first.items.map((r) => r.title)).toEqual(['r6', 'r5', 'r4']);
    expect(second.items.map((r) => r.title)).toEqual(['r3', 'r2', 'r1']);
    expect(third).toEqual({ items: [expect.objectContaining({ title: 'r0' })], nextCursor: null });
  });

  it('should count unread per tab and mark one read, for its owner only', async () => {
    const [system, toMe] = await given(
      { user: 'nc-read', title: 'a' },
      { user: 'nc-read', title: 'b', type: 'TO_ME' },
      { user: 'nc-read', title: 'c', type: 'TO_ME' },
    );
    const user = as('nc-read');
    expect(await user.counts()).toEqual({ SYSTEM: 1, TO_ME: 2, total: 3 });

    await as('nc-intruder').markRead(toMe.id).expect(404);
    await user.markRead(toMe.id).expect(200, { id: toMe.id, isRead: true });
    await user.markRead(toMe.id).expect(200);

    expect(await user.counts()).toEqual({ SYSTEM: 1, TO_ME: 1, total: 2 });
    expect((await user.list({ unread: true })).items.map((r) => r.title)).toEqual(['c', 'a']);
    expect((await user.list()).items.find((r) => r.id === toMe.id)?.isRead).toBe(true);
    expect((await user.list()).items.find((r) => r.id === system.id)?.isRead).toBe(false);
  });

  it('should mark all read, or one tab only', async () => {
    await given(
      { user: 'nc-all', title: 'a' },
      { user: 'nc-all', title: 'b', type: 'TO_ME' },
      { user: 'nc-all', title: 'c', type: 'TO_ME' },
      { user: 'nc-all-other', title: 'untouched' },
    );
    const user = as('nc-all');

    expect((await user.markAll({ type: 'TO_ME' }).expect(200)).body).toEqual({ marked: 2 });
    expect(await user.counts()).toEqual({ SYSTEM: 1, TO_ME: 0, total: 1 });
    expect((await user.markAll().expect(200)).body).toEqual({ marked: 1 });
    expect(await user.counts()).toEqual({ SYSTEM: 0, TO_ME: 0, total: 0 });
    expect(await as('nc-all-other').counts()).toEqual({ SYSTEM: 1, TO_ME: 0, total: 1 });
  });

  it('should mark all read with one write per tab, however long the history', async () => {
    const records = await given(
      ...Array.from({ length: 60 }, (_, n) => ({
        user: 'nc-history',
        title: `r${n}`,
        type: n % 3 === 0 ? ('TO_ME' as const) : ('SYSTEM' as const),
        studentId: n % 2 === 0 ? 7 : undefined,
      })),
    );
    const user = as('nc-history');
    await user.markRead(records[59].id).expect(200);
    expect(await user.counts()).toEqual({ SYSTEM: 39, TO_ME: 20, total: 59 });

    expect((await user.markAll().expect(200)).body).toEqual({ marked: 59 });
    expect(await user.counts()).toEqual({ SYSTEM: 0, TO_ME: 0, total: 0 });
    expect((await user.list({ unread: true })).items).toEqual([]);
    expect((await user.list({ studentId: 7, limit: 100 })).items).toHaveLength(30);
    expect((await user.list({ limit: 100 })).items.every((record) => record.isRead)).toBe(true);
    // The records themselves were not rewritten: one watermark per tab holds the read state.
    const [row]: { marked: string; watermarks: string }[] = await db.dataSource.query(
      `SELECT (SELECT count(*) FROM phx_notification_records WHERE user_id = 'nc-history' AND read_at IS NOT NULL) AS marked,
              (SELECT count(*) FROM phx_notification_center_read_watermarks WHERE user_id = 'nc-history') AS watermarks`,
    );
    expect(row).toEqual({ marked: '1', watermarks: '2' });

    const [later] = await given({ user: 'nc-history', title: 'later', type: 'TO_ME' });
    expect(await user.counts()).toEqual({ SYSTEM: 0, TO_ME: 1, total: 1 });
    expect((await user.list({ unread: true })).items.map((record) => record.id)).toEqual([
      later.id,
    ]);
  });

  it('should refuse bad queries and missing tokens with clear messages', async () => {
    const user = as('nc-bad');
    const badType = await user.raw('/notification-center/records?type=OTHER').expect(400);
    expect(JSON.stringify(badType.body)).toContain('type must be one of SYSTEM, TO_ME');
    const badStudent = await user.raw('/notification-center/records?studentId=abc').expect(400);
    expect(JSON.stringify(badStudent.body)).toContain('studentId must be an integer');
    const badCursor = await user.raw('/notification-center/records?cursor=x').expect(400);
    expect(JSON.stringify(badCursor.body)).toContain('cursor');
    // Above PostgreSQL's bigint (2^63 - 1): each once a 500 "out of range for type bigint".
    const hugeCursor = await user
      .raw('/notification-center/records?cursor=9223372036854775808')
      .expect(400);
    expect(JSON.stringify(hugeCursor.body)).toContain('cursor must be the nextCursor');
    const hugeStudent = await user
      .raw('/notification-center/records?studentId=99999999999999999999')
      .expect(400);
    expect(JSON.stringify(hugeStudent.body)).toContain('studentId');
    await user.markRead('not-a-uuid').expect(400);
    await http.get('/notification-center/records').expect(401);
    await http.get('/notification-center/unread-counts').expect(401);
  });
});
