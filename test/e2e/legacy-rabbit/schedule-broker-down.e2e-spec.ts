import { LegacyEventRepository } from '@signal/persistence';
import { TcpProxy } from '../../support/tcp-proxy';
import { TestServices } from '../../support/test-services';
import { waitFor } from '../../support/wait-for';
import { LegacyRabbitHarness } from './legacy-rabbit-harness';

describe('Legacy V1 events: the schedule while RabbitMQ is away (real RabbitMQ behind a proxy, PostgreSQL, Kafka)', () => {
  let harness: LegacyRabbitHarness;
  // The app's way to RabbitMQ, cut while a scheduled event falls due.
  let rabbitLink: TcpProxy;

  beforeAll(async () => {
    const rabbit = new URL(TestServices.rabbitmqUrl);
    rabbitLink = new TcpProxy(rabbit.hostname, Number(rabbit.port || 5672));
    await rabbitLink.start();
    const viaProxy = new URL(TestServices.rabbitmqUrl);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(rabbitLink.port);
    harness = await LegacyRabbitHarness.create('schedule-down', {
      RABBITMQ_URL: viaProxy.toString(),
    });
    await harness.start();
    await harness.enable('TASK:TASK_ASSIGNED');
  });

  afterAll(async () => {
    await rabbitLink?.start().catch(() => undefined);
    await harness?.close();
    await rabbitLink?.stop();
  });

  /** Whether some transaction holds the row's lock (what SELECT … FOR UPDATE takes). */
  async function rowIsLocked(eventId: string): Promise<boolean> {
    const runner = harness.db.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await runner.query(
        `SELECT event_id FROM legacy_scheduled_events WHERE event_id = $1 FOR UPDATE NOWAIT`,
        [eventId],
      );
      return false;
    } catch (error) {
      if ((error as { driverError?: { code?: string } }).driverError?.code === '55P03') return true;
      throw error;
    } finally {
      await runner.rollbackTransaction().catch(() => undefined);
      await runner.release();
    }
  }

  it('should hold no transaction open while the release waits for RabbitMQ, and deliver the event once it is back', async () => {
    const dueAt = new Date(Date.now() + 2000);
    const event = harness.example('task', (e) => {
      e.payload.notification.scheduledAt = dueAt.toISOString();
    });
    await harness.publish(event);
    await waitFor('the event to be scheduled', async () => {
      const rows: unknown[] = await harness.db.dataSource.query(
        `SELECT 1 FROM legacy_scheduled_events WHERE event_id = $1`,
        [event.eventId],
      );
      return rows.length > 0 ? true : undefined;
    });

    await rabbitLink.stop();
    // Due and polled meanwhile: the release is waiting for a broker it cannot reach.
    await new Promise((resolve) => setTimeout(resolve, dueAt.getTime() - Date.now() + 1500));
    for (let check = 0; check < 5; check++) {
      expect(await rowIsLocked(event.eventId)).toBe(false);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await rabbitLink.start();

    await harness.processed(event.eventId);
    expect(await harness.requestsOf(event.eventId)).toHaveLength(1);
    await waitFor('the released event to be forgotten', async () => {
      const rows: unknown[] = await harness.db.dataSource.query(
        `SELECT 1 FROM legacy_scheduled_events WHERE event_id = $1`,
        [event.eventId],
      );
      return rows.length === 0 ? true : undefined;
    });
  });

  it('should claim a due event for one releaser at a time, and again once the claim ran out', async () => {
    // The app's own poller would compete for the row.
    await harness.stop();
    const sut = new LegacyEventRepository(harness.db.dataSource);
    const eventKey = `claim-${harness.routingPrefix}`;
    await sut.schedule({
      eventKey,
      dueAt: new Date(Date.now() - 1000),
      priority: 2,
      body: '{}',
      routingKey: 'task.TaskAssigned',
      correlationId: null,
    });
    const claim = async () =>
      (await sut.claimDue(100, 1500)).filter((event) => event.eventKey === eventKey);

    const first = await waitFor('a claim of the row', async () => {
      const claimed = await claim();
      return claimed.length > 0 ? claimed : undefined;
    });
    expect(first).toEqual([expect.objectContaining({ eventKey, priority: 2 })]);
    expect(await claim()).toEqual([]);

    // The releaser died before forgetting it: released again, at most once per claim.
    await new Promise((resolve) => setTimeout(resolve, 1600));
    const second = await claim();
    expect(second.map((event) => event.eventKey)).toEqual([eventKey]);
    await sut.forget([eventKey]);
    const rows: unknown[] = await harness.db.dataSource.query(
      `SELECT 1 FROM legacy_scheduled_events WHERE event_id = $1`,
      [eventKey],
    );
    expect(rows).toEqual([]);
  });
});
