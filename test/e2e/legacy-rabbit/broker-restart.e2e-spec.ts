import { PrivateRabbitmq } from '../../support/private-services';
import { waitFor } from '../../support/wait-for';
import { LegacyRabbitHarness } from './legacy-rabbit-harness';

jest.setTimeout(180_000);

describe('Legacy V1 events: RabbitMQ restarted mid-stream (real RabbitMQ, PostgreSQL, Kafka)', () => {
  // A node of this file's own: stopping the shared broker would break other files' tests.
  let rabbitmq: PrivateRabbitmq;
  let harness: LegacyRabbitHarness;

  beforeAll(async () => {
    rabbitmq = await PrivateRabbitmq.create();
    harness = await LegacyRabbitHarness.create(
      'restart',
      { RABBITMQ_URL: rabbitmq.url },
      rabbitmq.url,
    );
    await harness.start();
    await harness.enable('PAYMENT:PAYMENT_COMPLETED', ['in_app']);
  });

  afterAll(async () => {
    await harness?.close();
    await rabbitmq?.destroy();
  });

  it('should reconnect and deliver every confirmed event exactly once', async () => {
    const before = Array.from({ length: 300 }, (_, index) =>
      harness.example('payment', (event) => {
        event.payload.notification.targetUsers = [`before-${index}`];
      }),
    );
    await harness.publishAll(before);
    const processedCount = async (): Promise<number> => {
      const [{ count }]: { count: number }[] = await harness.db.dataSource.query(
        `SELECT count(*)::int AS count FROM legacy_processed_events`,
      );
      return count;
    };
    // Mid-stream: some events delivered, the rest still in the queues.
    await waitFor('the stream to be under way', async () =>
      (await processedCount()) >= 20 ? true : undefined,
    );

    // The RabbitMQ application (not the Erlang node): durable queues survive.
    await rabbitmq.stop();
    await rabbitmq.start();
    await harness.reconnect();
    const after = Array.from({ length: 20 }, (_, index) =>
      harness.example('payment', (event) => {
        event.payload.notification.targetUsers = [`after-${index}`];
      }),
    );
    await harness.publishAll(after);

    const all = [...before, ...after];
    await waitFor(
      'every event delivered',
      async () => ((await processedCount()) === all.length ? true : undefined),
      { timeoutMs: 120_000, intervalMs: 500 },
    );
    const perEvent: { event_id: string; requests: number }[] = await harness.db.dataSource.query(
      `SELECT payload->'inApp'->'payload'->>'eventId' AS event_id, count(*)::int AS requests
         FROM phx_push_requests GROUP BY 1 ORDER BY 1`,
    );
    expect(perEvent.map((row) => row.event_id)).toEqual(all.map((event) => event.eventId).sort());
    expect(perEvent.filter((row) => row.requests !== 1)).toEqual([]);
    await waitFor(
      'a Notification Record per event',
      async () => {
        const [{ count }]: { count: number }[] = await harness.db.dataSource.query(
          `SELECT count(DISTINCT payload->>'eventId')::int AS count FROM phx_notification_records`,
        );
        return count === all.length ? true : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    const [{ records }]: { records: number }[] = await harness.db.dataSource.query(
      `SELECT count(*)::int AS records FROM phx_notification_records`,
    );
    expect(records).toBe(all.length);
  });
});
