import { contentKey } from '../../../apps/signal/src/common/content-key';
import { legacyV1Minimum } from '../../fixtures/legacy-v1';
import { uniqueName } from '../../support/unique-name';
import { waitFor } from '../../support/wait-for';
import { LegacyRabbitHarness } from './legacy-rabbit-harness';

describe('Legacy V1 events: scheduledAt (real RabbitMQ, PostgreSQL, Kafka)', () => {
  let harness: LegacyRabbitHarness;

  beforeAll(async () => {
    harness = await LegacyRabbitHarness.create('schedule');
    await harness.start();
    await harness.enable('TASK:TASK_ASSIGNED');
    await harness.enable('LOAPHUONG:ANNOUNCEMENT_CREATED');
  });

  afterAll(async () => {
    await harness?.close();
  });

  function scheduledIn(ms: number) {
    const dueAt = new Date(Date.now() + ms);
    const event = harness.example('task', (e) => {
      e.payload.notification.scheduledAt = dueAt.toISOString();
    });
    return { event, dueAt };
  }

  async function scheduledRow(eventKey: string): Promise<{ due_at: Date }[]> {
    return harness.db.dataSource.query(
      `SELECT due_at FROM legacy_scheduled_events WHERE event_id = $1`,
      [eventKey],
    );
  }

  /** Waits until the adapter parked the event for its due time. */
  async function expectScheduledFor(eventKey: string, dueAt: Date): Promise<void> {
    const [row] = await waitFor('the event to be scheduled', async () => {
      const rows = await scheduledRow(eventKey);
      return rows.length > 0 ? rows : undefined;
    });
    expect(row.due_at.toISOString()).toBe(dueAt.toISOString());
  }

  /** When the Producer accepted the event's request: not before the due time means held until then. */
  async function deliveredAt(eventId: string): Promise<Date> {
    await harness.processed(eventId);
    const [row]: { created_at: Date }[] = await harness.db.dataSource.query(
      `SELECT created_at FROM phx_push_requests WHERE user_id = 'user-789' AND payload->'inApp'->'payload'->>'eventId' = $1`,
      [eventId],
    );
    return row.created_at;
  }

  it('should hold an event scheduled 3 s ahead until then, then deliver it once', async () => {
    const { event, dueAt } = scheduledIn(3000);

    await harness.publish(event);
    await expectScheduledFor(event.eventId, dueAt);

    expect((await deliveredAt(event.eventId)).getTime()).toBeGreaterThanOrEqual(dueAt.getTime());
    expect(await harness.requestsOf(event.eventId)).toHaveLength(1);
    expect(await scheduledRow(event.eventId)).toEqual([]);
  });

  it('should deliver a schedule made before an app restart', async () => {
    const { event, dueAt } = scheduledIn(3000);

    await harness.publish(event);
    await expectScheduledFor(event.eventId, dueAt);
    await harness.stop();
    await harness.start();

    expect((await deliveredAt(event.eventId)).getTime()).toBeGreaterThanOrEqual(dueAt.getTime());
    expect(await harness.requestsOf(event.eventId)).toHaveLength(1);
  });

  it('should deliver at once an event whose scheduledAt has passed', async () => {
    const { event } = scheduledIn(-60_000);

    await harness.publish(event);

    await harness.processed(event.eventId);
    expect(await harness.requestsOf(event.eventId)).toHaveLength(1);
  });

  it('should schedule an event without eventId once though published twice, and deliver it once when due', async () => {
    const dueAt = new Date(Date.now() + 3000);
    const event = legacyV1Minimum();
    event.payload.notification.targetUsers = ['minimum-user'];
    event.payload.notification.scheduledAt = dueAt.toISOString();
    const key = contentKey(event);

    await harness.publish(event);
    await harness.publish(JSON.stringify(event, null, 2), { eventType: event.eventType });
    await expectScheduledFor(key, dueAt);

    await harness.processed(key);
    const requests = await harness.requestsFor('minimum-user');
    expect(requests).toHaveLength(1);
    expect(await scheduledRow(key)).toEqual([]);
  });

  it('should dead-letter a released event with the routing key and correlation id it came with', async () => {
    const correlationId = uniqueName('it-legacy-scheduled');
    // Nobody to deliver to: refused at the delivery stage, after the schedule released it.
    const { event, dueAt } = scheduledIn(1500);
    delete event.payload.notification.targetUsers;
    event.payload.notification.targetRoles = ['NOBODY'];

    await harness.publish(event, { correlationId });
    await expectScheduledFor(event.eventId, dueAt);

    const [deadLetter] = await waitFor('the released event to be dead-lettered', async () => {
      const taken = await harness.takeDeadLetters();
      return taken.length > 0 ? taken : undefined;
    });
    expect(deadLetter).toMatchObject({
      stage: 'delivery',
      routingKey: harness.routingKeyOf(event.eventType),
      correlationId,
    });
    expect(deadLetter.reason).toMatch(/^no target: /);
    expect(deadLetter.event).toMatchObject({ eventId: event.eventId });
  });
});
