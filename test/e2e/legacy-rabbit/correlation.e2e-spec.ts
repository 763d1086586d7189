import { contentKey } from '../../../apps/signal/src/common/content-key';
import { LegacyV1Envelope, legacyV1Minimum } from '../../fixtures/legacy-v1';
import { LoopbackHttpServer } from '../../support/loopback-http-server';
import { LogLine, logLines, SignalProcess } from '../../support/signal-process';
import { TEST_API_KEY } from '../../support/tokens';
import { uniqueName } from '../../support/unique-name';
import { waitFor } from '../../support/wait-for';
import { LegacyRabbitHarness } from './legacy-rabbit-harness';

interface DeliveryLogEntry {
  id: string;
  correlationId: string | null;
  deliveries: { channel: string; status: string }[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('Legacy V1 events: one correlation id for everything an event causes (real process, RabbitMQ, PostgreSQL, Kafka)', () => {
  let harness: LegacyRabbitHarness;
  let app: SignalProcess;
  /** A push provider that refuses every token for good, so the Consumer logs the failure. */
  let push: LoopbackHttpServer;

  beforeAll(async () => {
    push = await LoopbackHttpServer.start((call) => ({
      status: 200,
      body: {
        results: call
          .json<{ tokens: string[] }>()
          .tokens.map((token) => ({ token, status: 'failed', reason: 'refused by the test' })),
      },
    }));
    harness = await LegacyRabbitHarness.create('corr', {
      PUSH_PROVIDER: 'webhook',
      PUSH_WEBHOOK_URL: `${push.url}/push`,
    });
    app = await harness.spawn();
    await harness.enable('LOAPHUONG:ANNOUNCEMENT_CREATED');
    for (const user of ['corr-envelope', 'corr-amqp', 'corr-none']) {
      await harness
        .http()
        .post(`/admin/users/${user}/devices`)
        .set('x-api-key', TEST_API_KEY)
        .send({ app: 'LEGACY_V1', token: `token-of-${user}`, platform: 'android' })
        .expect(201);
    }
  });

  afterAll(async () => {
    await harness?.close();
    await push?.close();
  });

  /** Seed 003's minimum envelope for one user, with the envelope fields given. */
  function minimumFor(userId: string, envelope: Partial<LegacyV1Envelope> = {}) {
    const event = { ...legacyV1Minimum(), ...envelope };
    event.payload.notification.targetUsers = [userId];
    return event;
  }

  /** The user's one entry in the admin delivery log, once its push has failed at the Consumer. */
  async function deliveryLogOf(userId: string): Promise<DeliveryLogEntry> {
    return waitFor(
      `the delivery log of ${userId}`,
      async () => {
        const { body } = await harness
          .http()
          .get(`/admin/users/${userId}/deliveries`)
          .set('x-api-key', TEST_API_KEY)
          .expect(200);
        const [entry] = (body as { items: DeliveryLogEntry[] }).items;
        const pushed = entry?.deliveries.find((delivery) => delivery.channel === 'push');
        return pushed?.status === 'failed' ? entry : undefined;
      },
      { timeoutMs: 45_000 },
    );
  }

  function lineOf(description: string, match: (line: LogLine) => boolean): Promise<LogLine> {
    return waitFor(description, () => logLines(app).find(match));
  }

  it("should carry the envelope's correlationId, not the AMQP one, to the adapter's logs, the Producer request, the Consumer's logs and the delivery log", async () => {
    const correlationId = uniqueName('it-legacy-envelope');
    const event = minimumFor('corr-envelope', { correlationId });

    await harness.publish(event, { correlationId: uniqueName('it-legacy-amqp-ignored') });

    const entry = await deliveryLogOf('corr-envelope');
    expect(entry.correlationId).toBe(correlationId);
    const [request] = await harness.requestsFor('corr-envelope');
    expect(request.correlation_id).toBe(correlationId);
    const key = contentKey(event);
    const delivered = await lineOf('the adapter to log the delivery', (line) =>
      Boolean(line.msg?.includes(`event ${key}`) && line.msg.includes('sent to 1 users')),
    );
    expect(delivered).toMatchObject({ context: 'LegacyEventService', correlationId });
    const access = await lineOf(
      'the Producer to log the request',
      (line) =>
        line.msg === 'request completed' &&
        (line.req as { url?: string } | undefined)?.url === '/emit/inapp-noti' &&
        line.correlationId === correlationId,
    );
    expect(access).toMatchObject({ res: { statusCode: 202 } });
    const failed = await lineOf('the Consumer to log the refused push', (line) =>
      Boolean(line.context === 'PhxRequestDeliverer' && line.msg?.includes(entry.id)),
    );
    expect(failed).toMatchObject({ correlationId });
    expect(failed.msg).toContain('refused by the test');
  });

  it('should fall back to the AMQP correlationId, then to a new id the request and the log lines share', async () => {
    const amqpCorrelationId = uniqueName('it-legacy-amqp');
    const withAmqpId = minimumFor('corr-amqp');
    const withoutId = minimumFor('corr-none');

    await harness.publish(withAmqpId, { correlationId: amqpCorrelationId });
    await harness.publish(withoutId);

    expect((await deliveryLogOf('corr-amqp')).correlationId).toBe(amqpCorrelationId);
    const generated = (await deliveryLogOf('corr-none')).correlationId;
    expect(generated).toMatch(UUID);
    const delivered = await lineOf('the adapter to log the delivery', (line) =>
      Boolean(line.msg?.includes(`event ${contentKey(withoutId)}`)),
    );
    expect(delivered.correlationId).toBe(generated);
  });

  it('should dead-letter an event without any target under its envelope correlationId, with the reason', async () => {
    const correlationId = uniqueName('it-legacy-no-target');
    const event = { ...legacyV1Minimum(), correlationId };

    await harness.publish(event, { correlationId: uniqueName('it-legacy-amqp-ignored') });

    const [deadLetter] = await waitFor('the event to be dead-lettered', async () => {
      const taken = await harness.takeDeadLetters();
      return taken.length > 0 ? taken : undefined;
    });
    expect(deadLetter).toMatchObject({
      stage: 'ingress',
      correlationId,
      reason: 'no target: payload.notification names neither targetUsers nor targetRoles',
      event,
    });
    const logged = await lineOf('the adapter to log the dead letter', (line) =>
      Boolean(line.msg?.startsWith('ingress: dead-lettered: no target')),
    );
    expect(logged.correlationId).toBe(correlationId);
  });
});
