import { loadWithDevCredentials, problemsOf } from '../config-testing';
import { parsePush } from './push.section';

describe(parsePush.name, () => {
  it('should default to none, with SMTP to a local catcher', () => {
    const sut = loadWithDevCredentials({});

    expect(sut.push.provider).toEqual({ kind: 'none' });
    expect(sut.smtp.url).toBe('smtp://127.0.0.1:1025');
  });

  it('should require the webhook URL for the webhook provider', () => {
    expect(problemsOf({ PUSH_PROVIDER: 'webhook' })).toEqual([
      'PUSH_WEBHOOK_URL: required when PUSH_PROVIDER is webhook',
    ]);
    expect(
      loadWithDevCredentials({
        PUSH_PROVIDER: 'webhook',
        PUSH_WEBHOOK_URL: 'http://push.local/hook',
      }).push.provider,
    ).toEqual({ kind: 'webhook', url: 'http://push.local/hook', secret: null });
  });

  it('should say what is wrong with the FCM service account', () => {
    expect(problemsOf({ PUSH_PROVIDER: 'fcm' })).toEqual([
      'FCM_SERVICE_ACCOUNT_JSON: required when PUSH_PROVIDER is fcm',
    ]);
    expect(problemsOf({ PUSH_PROVIDER: 'fcm', FCM_SERVICE_ACCOUNT_JSON: '{oops' })).toEqual([
      "FCM_SERVICE_ACCOUNT_JSON: must be the service account key file's JSON",
    ]);
    expect(
      problemsOf({ PUSH_PROVIDER: 'fcm', FCM_SERVICE_ACCOUNT_JSON: '{"project_id":"p"}' }),
    ).toEqual(['FCM_SERVICE_ACCOUNT_JSON: lacks client_email, private_key']);
  });

  it('should read a sound FCM service account', () => {
    const account = {
      project_id: 'signal-test',
      client_email: 'push@signal-test.iam.gserviceaccount.com',
      private_key: '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n',
    };
    const sut = loadWithDevCredentials({
      PUSH_PROVIDER: 'fcm',
      FCM_SERVICE_ACCOUNT_JSON: JSON.stringify(account),
      FCM_BASE_URL: 'http://127.0.0.1:9999',
    });

    expect(sut.push.provider).toEqual({
      kind: 'fcm',
      serviceAccount: account,
      baseUrl: 'http://127.0.0.1:9999',
      tokenUrl: 'https://oauth2.googleapis.com/token',
    });
  });
});
