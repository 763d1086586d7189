import { waitFor } from '../../support/wait-for';
import { LegacyRabbitHarness } from './legacy-rabbit-harness';

describe('Legacy V1 events: priority under backlog (real RabbitMQ, PostgreSQL, Kafka)', () => {
  let harness: LegacyRabbitHarness;

  beforeAll(async () => {
    harness = await LegacyRabbitHarness.create('priority');
    await harness.start();
    await harness.enable('PAYMENT:PAYMENT_COMPLETED', ['in_app']);
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('should deliver 10 urgent events before 1,000 low ones published earlier', async () => {
    const low = Array.from({ length: 1000 }, (_, index) =>
      harness.example('payment', (event) => {
        event.payload.notification.priority = 'low';
        event.payload.notification.targetUsers = [`low-${index}`];
      }),
    );
    const urgent = Array.from({ length: 10 }, (_, index) =>
      harness.example('payment', (event) => {
        event.payload.notification.priority = 'urgent';
        event.payload.notification.targetUsers = [`urgent-${index}`];
      }),
    );
    await harness.broker.pauseDelivery();

    await harness.publishAll(low);
    await harness.publishAll(urgent);
    const deliveryQueue = `${harness.queue}.delivery`;
    await waitFor(
      'the backlog to reach the priority queue',
      async () =>
        (await harness.messagesIn(deliveryQueue)) === 1010 &&
        (await harness.messagesIn(harness.queue)) === 0
          ? true
          : undefined,
      { timeoutMs: 45_000 },
    );
    expect(await harness.requests()).toEqual([]);
    await harness.broker.resumeDelivery();

    const first = await waitFor(
      'the first 30 events delivered',
      async () => {
        const rows: { event_id: string }[] = await harness.db.dataSource.query(
          `SELECT event_id FROM legacy_processed_events ORDER BY processed_at LIMIT 30`,
        );
        return rows.length === 30 ? rows.map((row) => row.event_id) : undefined;
      },
      { timeoutMs: 45_000 },
    );
    expect(first.slice(0, 10).sort()).toEqual(urgent.map((event) => event.eventId).sort());
    const lowIds = new Set(low.map((event) => event.eventId));
    expect(first.slice(10).every((eventId) => lowIds.has(eventId))).toBe(true);
  });
});
