import { FcmPushProvider } from './fcm.push-provider';
import { NoPushProvider } from './no.push-provider';
import { createPushProvider } from './push-provider.factory';
import { toPushMessage } from './push-provider';
import { WebhookPushProvider } from './webhook.push-provider';

const aPush = () =>
  toPushMessage('req-1', {
    title: 'Check-in',
    message: 'Bé đã tới trường',
    module_code: 'HRM_CHECKIN',
    app: 'PHX_PARENT',
    payload: {},
  });

describe(createPushProvider.name, () => {
  it('should build the provider the settings name', async () => {
    const providers = [
      createPushProvider({ provider: { kind: 'none' }, timeoutMs: 1000 }),
      createPushProvider({
        provider: { kind: 'webhook', url: 'http://127.0.0.1:9/push', secret: null },
        timeoutMs: 1000,
      }),
      createPushProvider({
        provider: {
          kind: 'fcm',
          serviceAccount: { project_id: 'p', client_email: 'e@p', private_key: 'unused' },
          baseUrl: 'http://127.0.0.1:9',
          tokenUrl: 'http://127.0.0.1:9/token',
        },
        timeoutMs: 1000,
      }),
    ];

    expect(providers.map((provider) => provider.constructor)).toEqual([
      NoPushProvider,
      WebhookPushProvider,
      FcmPushProvider,
    ]);
    await Promise.all(providers.map((provider) => provider.close()));
  });
});

describe(NoPushProvider.name, () => {
  it('should report every token as a permanent failure that names the setting', async () => {
    const sut = new NoPushProvider();

    const report = await sut.send(aPush(), ['tok-a', 'tok-b', 'tok-a']);

    const reason = 'no push provider configured (PUSH_PROVIDER=none)';
    expect(report).toEqual({
      sent: [],
      dead: [],
      failed: [
        { token: 'tok-a', reason, transient: false },
        { token: 'tok-b', reason, transient: false },
      ],
    });
  });
});
