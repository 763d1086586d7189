import type { TestSchema } from '@signal/persistence/testing/test-schema';
import { Admin } from 'kafkajs';
import request, { Response } from 'supertest';
import { pushPayload } from '../../../libs/phx-node/test/payloads';
import { createTopic, testKafka } from '../../support/kafka';
import { createTestSchema, SignalTestApp, startSignalTestApp } from '../../support/signal-test-app';
import { TEST_API_KEY } from '../../support/tokens';
import { uniqueName } from '../../support/unique-name';
import { waitFor } from '../../support/wait-for';

/** An in-app-and-push notice to `user` of FEE:NOTICE. */
function aNotice(user: string, title = 'Học phí') {
  return {
    ...pushPayload({ user_id: user, action_code: 'FEE:NOTICE' }),
    inApp: { title, message: 'Đã cập nhật' },
  };
}

describe('PHX Producer: batches under concurrency, repeats, a full queue (real PostgreSQL, Kafka, Consumer)', () => {
  const topic = uniqueName('it.phx-batching');
  let admin: Admin;
  let db: TestSchema;
  let signal: SignalTestApp;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    admin = testKafka(uniqueName('phx-batching')).admin();
    await admin.connect();
    await createTopic(admin, topic);
    await createTopic(admin, `${topic}.dlq`);
    db = await createTestSchema('phx-batching');
    signal = await startSignalTestApp(db, {
      KAFKA_ENABLED: 'true',
      KAFKA_TOPIC_PHX_PUSH: topic,
      KAFKA_TOPIC_ACTIVITY_NOTIFICATION: uniqueName('it.phx-batching-activity'),
      APP_ENV_KAFKA_GROUP_ID: uniqueName('IT_PHX_BATCHING'),
      KAFKA_FROM_BEGINNING: 'true',
      // One batch in flight: concurrent sends wait together and go out in one batch.
      DATABASE_POOL_SIZE: '2',
    });
    http = request(signal.app.getHttpServer());
    await putSetting({ enabled: true, channels: ['push'] });
  });

  afterAll(async () => {
    await signal?.close();
    await admin?.deleteTopics({ topics: [topic, `${topic}.dlq`] }).catch(() => undefined);
    await admin?.disconnect();
    await db?.drop();
  });

  async function putSetting(setting: { enabled: boolean; channels: string[] }) {
    await http
      .put('/admin/notification-settings/FEE:NOTICE')
      .set('x-api-key', TEST_API_KEY)
      .send({ critical: false, ...setting })
      .expect(200);
  }

  function emit(app: SignalTestApp, payload: object, idempotencyKey?: string): Promise<Response> {
    const call = request(app.app.getHttpServer())
      .post('/emit/inapp-noti')
      .set('x-api-key', TEST_API_KEY);
    return (idempotencyKey ? call.set('idempotency-key', idempotencyKey) : call).send(payload);
  }

  const storedCount = async (userPrefix: string) => {
    const [{ count }]: { count: string }[] = await db.dataSource.query(
      `SELECT count(*) FROM phx_push_requests WHERE user_id LIKE $1`,
      [`${userPrefix}%`],
    );
    return Number(count);
  };

  it('should fail only the send PostgreSQL refuses, answering its batch-mates as usual', async () => {
    // A lone surrogate passes every rule (a title cut inside an emoji) but not PostgreSQL's jsonb.
    const poisoned = 13;
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, n) =>
        emit(signal, aNotice(`u-batch-${n}`, n === poisoned ? 'Học phí \ud83d' : 'Học phí')),
      ),
    );

    const statuses = answers.map((answer) => answer.status);
    expect(statuses).toEqual(Array.from({ length: 40 }, (_, n) => (n === poisoned ? 400 : 202)));
    expect(answers[poisoned].body).toEqual({
      statusCode: 400,
      error: 'INVALID_INPUT',
      message: expect.stringMatching(/^PostgreSQL cannot store this request: /) as string,
    });
    expect(await storedCount('u-batch-')).toBe(39);
  });

  it('should answer a repeat with the first 202 after the Consumer found nothing to send and the code was disabled', async () => {
    const key = uniqueName('first-accepted');
    const first = await emit(signal, aNotice('u-no-device'), key);
    expect(first.status).toBe(202);
    // No device: the Consumer completes the request as not delivered.
    await waitFor(
      'the Consumer to complete the request',
      async () => {
        const [row]: { status: string }[] = await db.dataSource.query(
          `SELECT status FROM phx_push_requests WHERE id = $1`,
          [first.body.id],
        );
        return row.status === 'not_delivered' ? true : undefined;
      },
      { timeoutMs: 30_000 },
    );
    await putSetting({ enabled: false, channels: ['push'] });

    const repeats = await Promise.all(
      Array.from({ length: 5 }, () => emit(signal, aNotice('u-no-device'), key)),
    );
    await putSetting({ enabled: true, channels: ['push'] });

    for (const repeat of repeats) {
      expect({ status: repeat.status, body: repeat.body }).toEqual({
        status: 202,
        body: first.body,
      });
    }
  });

  it('should answer concurrent repeats of a first 200 with that 200 while the code is enabled meanwhile', async () => {
    await putSetting({ enabled: false, channels: ['push'] });
    const key = uniqueName('first-not-delivered');
    const [first, ...early] = await Promise.all(
      Array.from({ length: 4 }, () => emit(signal, aNotice('u-disabled'), key)),
    );
    await putSetting({ enabled: true, channels: ['push'] });
    const late = await Promise.all(
      Array.from({ length: 4 }, () => emit(signal, aNotice('u-disabled'), key)),
    );

    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: 'not_delivered' });
    for (const repeat of [...early, ...late]) {
      expect({ status: repeat.status, body: repeat.body }).toEqual({
        status: 200,
        body: first.body,
      });
    }
    expect(await storedCount('u-disabled')).toBe(1);
  });

  describe('with a queue of one', () => {
    let narrow: SignalTestApp;

    beforeAll(async () => {
      narrow = await startSignalTestApp(db, {
        KAFKA_TOPIC_PHX_PUSH: topic,
        DATABASE_POOL_SIZE: '2',
        PHX_PRODUCER_QUEUE_LIMIT: '1',
      });
    });

    afterAll(async () => {
      await narrow?.close();
    });

    it('should turn away what does not fit with 503 and Retry-After, and store every send it accepted', async () => {
      const answers = await Promise.all(
        Array.from({ length: 30 }, (_, n) => emit(narrow, aNotice(`u-queue-${n}`))),
      );

      const accepted = answers.filter((answer) => answer.status === 202);
      const refused = answers.filter((answer) => answer.status === 503);
      expect(accepted.length + refused.length).toBe(30);
      expect(refused.length).toBeGreaterThan(0);
      for (const answer of refused) {
        expect(answer.headers['retry-after']).toBe('1');
        expect(answer.body).toMatchObject({ statusCode: 503, error: 'OVERLOADED' });
      }
      expect(await storedCount('u-queue-')).toBe(accepted.length);
    });
  });
});
