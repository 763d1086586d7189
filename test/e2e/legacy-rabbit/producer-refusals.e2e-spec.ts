import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { freePort } from '../../support/free-port';
import { waitFor } from '../../support/wait-for';
import { DeadLetter, LegacyRabbitHarness } from './legacy-rabbit-harness';

const FORWARDED_HEADERS = ['content-type', 'x-api-key', 'idempotency-key', 'x-correlation-id'];

/**
 * Stands between the adapter and the real Producer: forwards every call, except that calls for
 * the events in `unavailable` are answered 503 (a Producer that cannot take them now) and calls
 * for the events in `wrongKey` are forwarded with a key the Producer does not accept.
 */
class ProducerProxy {
  readonly unavailable = new Set<string>();
  readonly wrongKey = new Set<string>();
  /** Calls seen per event id. */
  readonly calls = new Map<string, number>();
  private readonly server: Server;

  constructor(private readonly producerPort: number) {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const eventId = /"eventId":"([^"]+)"/.exec(body)?.[1] ?? '';
    this.calls.set(eventId, (this.calls.get(eventId) ?? 0) + 1);
    if (this.unavailable.has(eventId)) {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ statusCode: 503, error: 'UNAVAILABLE', message: 'try later' }));
      return;
    }
    const headers = Object.fromEntries(
      FORWARDED_HEADERS.flatMap((name) => {
        const value = req.headers[name];
        return typeof value === 'string' ? [[name, value]] : [];
      }),
    );
    if (this.wrongKey.has(eventId)) headers['x-api-key'] = 'a-key-this-producer-never-issued';
    const answer = await fetch(`http://127.0.0.1:${this.producerPort}${req.url}`, {
      method: req.method,
      headers,
      body,
    });
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(await answer.text());
  }
}

describe('Legacy V1 events the Producer refuses or cannot take (real RabbitMQ, PostgreSQL, Kafka, Producer)', () => {
  let harness: LegacyRabbitHarness;
  let proxy: ProducerProxy;
  const deadLetters: DeadLetter[] = [];

  beforeAll(async () => {
    const port = await freePort();
    proxy = new ProducerProxy(port);
    const proxyUrl = await proxy.start();
    harness = await LegacyRabbitHarness.create('refusals', {
      PORT: String(port),
      LEGACY_PHX_PRODUCER_URL: proxyUrl,
    });
    await harness.start();
    await harness.enable('PAYMENT:PAYMENT_COMPLETED', ['in_app']);
  });

  afterAll(async () => {
    await harness?.close();
    await proxy?.close();
  });

  async function deadLettersOf(eventId: string): Promise<DeadLetter[]> {
    deadLetters.push(...(await harness.takeDeadLetters()));
    return deadLetters.filter(
      (letter) => (letter.event as { eventId?: string }).eventId === eventId,
    );
  }

  const urgent = (userId: string) =>
    harness.example('payment', (event) => {
      event.payload.notification.priority = 'urgent';
      event.payload.notification.targetUsers = [userId];
    });
  const low = (userId: string) =>
    harness.example('payment', (event) => {
      event.payload.notification.priority = 'low';
      event.payload.notification.targetUsers = [userId];
    });

  it('should dead-letter once, with the reason, an urgent event the Producer refuses (401), and deliver the events behind it', async () => {
    const refused = urgent('refused-user');
    proxy.wrongKey.add(refused.eventId);
    const behind = [low('behind-1'), low('behind-2')];

    await harness.publish(refused);
    await harness.publishAll(behind);

    for (const event of behind) await harness.processed(event.eventId);
    const letters = await waitFor('the refused event dead-lettered', async () => {
      const found = await deadLettersOf(refused.eventId);
      return found.length > 0 ? found : undefined;
    });
    expect(letters).toEqual([
      expect.objectContaining({
        stage: 'delivery',
        reason: expect.stringMatching(/refused-user: .*401/) as string,
      }),
    ]);
    // Once: a later event went through, and no second copy of the refused one followed.
    const later = low('later');
    await harness.publish(later);
    await harness.processed(later.eventId);
    expect(await deadLettersOf(refused.eventId)).toHaveLength(1);
    expect(await harness.requestsOf(refused.eventId)).toEqual([]);
    expect(await harness.messagesIn(`${harness.queue}.delivery`)).toBe(0);
  });

  it('should dead-letter an event whose payload breaks the Producer rules though the adapter accepted it (action code over 128 characters)', async () => {
    // A valid V1 eventType whose derived action code exceeds the Producer's 128 characters.
    const refused = harness.example('payment', (event) => {
      event.eventType = `${'p'.repeat(48)}.${'Ab'.repeat(32)}`;
    });

    await harness.publish(refused);

    const letters = await waitFor('the refused event dead-lettered', async () => {
      const found = await deadLettersOf(refused.eventId);
      return found.length > 0 ? found : undefined;
    });
    expect(letters).toEqual([
      expect.objectContaining({
        stage: 'delivery',
        reason: expect.stringMatching(/the Producer refused .*action_code/) as string,
      }),
    ]);
  });

  it('should retry an event the Producer cannot take now, with backoff, while the events behind it go through', async () => {
    const stuck = urgent('stuck-user');
    proxy.unavailable.add(stuck.eventId);
    const behind = [low('after-stuck-1'), low('after-stuck-2')];

    await harness.publish(stuck);
    await harness.publishAll(behind);

    for (const event of behind) await harness.processed(event.eventId);
    // Tried again meanwhile (the client itself tries 4 times per attempt).
    await waitFor('the stuck event to be tried again', () =>
      (proxy.calls.get(stuck.eventId) ?? 0) > 4 ? true : undefined,
    );
    expect(await harness.requestsOf(stuck.eventId)).toEqual([]);

    proxy.unavailable.delete(stuck.eventId);
    await harness.processed(stuck.eventId);
    expect(await harness.requestsOf(stuck.eventId)).toHaveLength(1);
    expect(await deadLettersOf(stuck.eventId)).toEqual([]);
  });
});
