import { createHmac } from 'node:crypto';
import { TestingModule } from '@nestjs/testing';
import {
  PUSH_PROVIDER,
  PushProvider,
  toPushMessage,
} from '../../../../apps/signal/src/phx-push/channels/push-provider';
import { LoopbackHttpServer } from '../../../support/loopback-http-server';
import { startPhxChannels } from './phx-channels-testing';

const SECRET = 'webhook-secret-of-the-test';

const aPush = (notificationId: string) =>
  toPushMessage(notificationId, {
    title: 'Thông báo học phí',
    message: 'Bạn có thông báo học phí mới',
    module_code: 'FEE',
    app: 'PHX_PARENT',
    payload: { action: 'OPEN_FEE_NOTICE', amount: 1200000, flags: ['IMPORTANT'] },
  });

describe('WebhookPushProvider: the generic push webhook against a loopback endpoint', () => {
  let webhook: LoopbackHttpServer;
  let channels: TestingModule;
  let sut: PushProvider;

  beforeAll(async () => {
    webhook = await LoopbackHttpServer.start();
    channels = await startPhxChannels({
      PUSH_PROVIDER: 'webhook',
      PUSH_WEBHOOK_URL: `${webhook.url}/push`,
      PUSH_WEBHOOK_SECRET: SECRET,
      PUSH_TIMEOUT_MS: '2000',
    });
    sut = channels.get<PushProvider>(PUSH_PROVIDER);
  });

  beforeEach(() => {
    webhook.requests.length = 0;
  });

  afterAll(async () => {
    await channels.close();
    await webhook.close();
  });

  it('should POST one signed request for all tokens and map the results per token', async () => {
    webhook.respondWith(() => ({
      status: 200,
      body: {
        results: [
          { token: 'tok-sent', status: 'sent' },
          { token: 'tok-dead', status: 'dead', reason: 'NotRegistered' },
          { token: 'tok-busy', status: 'failed', reason: 'quota exceeded', transient: true },
          { token: 'tok-bad', status: 'failed', reason: 'payload too large' },
          { token: 'tok-odd', status: 'delivered' },
        ],
      },
    }));

    const report = await sut.send(aPush('req-webhook-1'), [
      'tok-sent',
      'tok-dead',
      'tok-busy',
      'tok-bad',
      'tok-odd',
      'tok-silent',
      'tok-sent',
    ]);

    expect(sut.name).toBe('webhook');
    expect(webhook.requests).toHaveLength(1);
    const [request] = webhook.requests;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/push');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['idempotency-key']).toBe('req-webhook-1');
    const expected = createHmac('sha256', SECRET).update(request.rawBody).digest('hex');
    expect(request.headers['x-signal-signature']).toBe(`sha256=${expected}`);
    expect(request.json()).toEqual({
      notificationId: 'req-webhook-1',
      app: 'PHX_PARENT',
      moduleCode: 'FEE',
      title: 'Thông báo học phí',
      body: 'Bạn có thông báo học phí mới',
      data: { action: 'OPEN_FEE_NOTICE', amount: '1200000', flags: '["IMPORTANT"]' },
      tokens: ['tok-sent', 'tok-dead', 'tok-busy', 'tok-bad', 'tok-odd', 'tok-silent'],
    });

    const missing = 'webhook answer has no valid result for this token';
    expect(report).toEqual({
      sent: ['tok-sent'],
      dead: [{ token: 'tok-dead', reason: 'webhook: NotRegistered' }],
      failed: [
        { token: 'tok-busy', reason: 'webhook: quota exceeded', transient: true },
        { token: 'tok-bad', reason: 'webhook: payload too large', transient: false },
        { token: 'tok-odd', reason: missing, transient: false },
        { token: 'tok-silent', reason: missing, transient: false },
      ],
    });
  });

  it('should count a 2xx without results as sent to every token', async () => {
    webhook.respondWith(() => ({ status: 202 }));

    const report = await sut.send(aPush('req-webhook-2'), ['tok-a', 'tok-b']);

    expect(report).toEqual({ sent: ['tok-a', 'tok-b'], dead: [], failed: [] });
  });

  it('should send no signature when no secret is configured', async () => {
    webhook.respondWith(() => ({ status: 200 }));
    const unsigned = await startPhxChannels({
      PUSH_PROVIDER: 'webhook',
      PUSH_WEBHOOK_URL: `${webhook.url}/unsigned`,
    });
    try {
      await unsigned.get<PushProvider>(PUSH_PROVIDER).send(aPush('req-webhook-4'), ['tok-a']);
    } finally {
      await unsigned.close();
    }

    expect(webhook.requestsTo('/unsigned')).toHaveLength(1);
    expect(webhook.requestsTo('/unsigned')[0].headers).not.toHaveProperty('x-signal-signature');
  });

  it('should fail every token: transient on 503, 429 and no answer; permanent on another 4xx', async () => {
    const failures = async (answer: Parameters<LoopbackHttpServer['respondWith']>[0]) => {
      webhook.respondWith(answer);
      const report = await sut.send(aPush('req-webhook-3'), ['tok-a', 'tok-b']);
      expect(report.sent).toEqual([]);
      expect(report.failed.map(({ token }) => token)).toEqual(['tok-a', 'tok-b']);
      return report.failed[0];
    };

    expect(await failures(() => ({ status: 503, body: 'maintenance' }))).toEqual({
      token: 'tok-a',
      reason: 'webhook HTTP 503: maintenance',
      transient: true,
    });
    expect(await failures(() => ({ status: 429 }))).toMatchObject({ transient: true });
    expect(await failures(() => ({ drop: true }))).toMatchObject({
      transient: true,
      reason: expect.stringMatching(/^webhook /) as string,
    });
    expect(await failures(() => ({ status: 422, body: { error: 'unknown app' } }))).toEqual({
      token: 'tok-a',
      reason: 'webhook HTTP 422: {"error":"unknown app"}',
      transient: false,
    });
    // Every attempt of the same notification carries the same idempotency key.
    expect(new Set(webhook.requests.map((r) => r.headers['idempotency-key']))).toEqual(
      new Set(['req-webhook-3']),
    );
  });
});
