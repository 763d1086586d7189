import { generateKeyPairSync } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import { TestingModule } from '@nestjs/testing';
import {
  PUSH_PROVIDER,
  PushProvider,
  toPushMessage,
} from '../../../../apps/signal/src/phx-push/channels/push-provider';
import { LoopbackHttpServer, RecordedRequest } from '../../../support/loopback-http-server';
import { startPhxChannels } from './phx-channels-testing';

const PROJECT = 'phx-demo';
const SEND_PATH = `/v1/projects/${PROJECT}/messages:send`;
const CLIENT_EMAIL = 'signal@phx-demo.iam.gserviceaccount.com';

interface FcmSendBody {
  message: {
    token: string;
    notification: { title: string; body: string };
    data: Record<string, string>;
  };
}

const fcmError = (code: number, status: string, message: string, errorCode?: string) => ({
  error: {
    code,
    message,
    status,
    details: errorCode
      ? [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode }]
      : [],
  },
});

/** FCM as it answers per device token, by the token's name. */
function fcmAnswer(request: RecordedRequest) {
  if (request.path === '/token') {
    return { status: 200, body: { access_token: 'ya29.test-access', expires_in: 3599 } };
  }
  const { token } = request.json<FcmSendBody>().message;
  switch (token) {
    case 'unregistered-token':
      return {
        status: 404,
        body: fcmError(404, 'NOT_FOUND', 'Requested entity was not found.', 'UNREGISTERED'),
      };
    case 'malformed-token':
      return {
        status: 400,
        body: fcmError(
          400,
          'INVALID_ARGUMENT',
          'The registration token is not a valid FCM registration token',
          'INVALID_ARGUMENT',
        ),
      };
    case 'busy-token':
      return { status: 503, body: fcmError(503, 'UNAVAILABLE', 'The service is unavailable.') };
    default:
      return { status: 200, body: { name: `projects/${PROJECT}/messages/${token}` } };
  }
}

const aPush = (title: string) =>
  toPushMessage('req-fcm-1', {
    title,
    message: 'Bé đã tới trường',
    module_code: 'HRM_CHECKIN',
    app: 'PHX_PARENT',
    payload: { action: 'OPEN_CHECK_IN_PAGE', studentId: 42 },
  });

describe('FcmPushProvider: FCM HTTP v1 against a loopback token and send endpoint', () => {
  const keys = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  let fcm: LoopbackHttpServer;
  let channels: TestingModule;
  let sut: PushProvider;

  beforeEach(async () => {
    fcm = await LoopbackHttpServer.start(fcmAnswer);
    channels = await startPhxChannels({
      PUSH_PROVIDER: 'fcm',
      FCM_SERVICE_ACCOUNT_JSON: JSON.stringify({
        type: 'service_account',
        project_id: PROJECT,
        client_email: CLIENT_EMAIL,
        private_key: keys.privateKey,
      }),
      FCM_BASE_URL: fcm.url,
      FCM_TOKEN_URL: `${fcm.url}/token`,
    });
    sut = channels.get<PushProvider>(PUSH_PROVIDER);
  });

  afterEach(async () => {
    await channels.close();
    await fcm.close();
  });

  it('should fetch one access token with a signed JWT-bearer grant and use it for every send', async () => {
    const tokens = ['device-a', 'device-b', 'device-c'];

    const reports = await Promise.all([
      sut.send(aPush('Check-in'), tokens),
      sut.send(aPush('Check-out'), ['device-d']),
    ]);
    const later = await sut.send(aPush('Again'), ['device-e']);

    expect(sut.name).toBe('fcm');
    expect(reports.map((report) => report.sent.sort())).toEqual([tokens, ['device-d']]);
    expect(later).toEqual({ sent: ['device-e'], dead: [], failed: [] });

    const tokenRequests = fcm.requestsTo('/token');
    expect(tokenRequests).toHaveLength(1);
    const [tokenRequest] = tokenRequests;
    expect(tokenRequest.method).toBe('POST');
    expect(tokenRequest.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const form = new URLSearchParams(tokenRequest.rawBody);
    expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    const claims = new JwtService().verify<Record<string, unknown>>(form.get('assertion') ?? '', {
      publicKey: keys.publicKey,
      algorithms: ['RS256'],
    });
    expect(claims).toMatchObject({
      iss: CLIENT_EMAIL,
      aud: `${fcm.url}/token`,
      scope: 'https://www.googleapis.com/auth/firebase.messaging',
    });
    expect(Number(claims.exp) - Number(claims.iat)).toBe(3600);

    const sends = fcm.requestsTo(SEND_PATH);
    expect(sends).toHaveLength(5);
    for (const send of sends) {
      expect(send.method).toBe('POST');
      expect(send.headers.authorization).toBe('Bearer ya29.test-access');
    }
    const deviceA = sends
      .map((send) => send.json<FcmSendBody>())
      .find((body) => body.message.token === 'device-a');
    expect(deviceA).toEqual({
      message: {
        token: 'device-a',
        notification: { title: 'Check-in', body: 'Bé đã tới trường' },
        data: { action: 'OPEN_CHECK_IN_PAGE', studentId: '42' },
      },
    });
  });

  it('should report UNREGISTERED and unparsable tokens dead, a 503 transient, and the rest sent', async () => {
    const report = await sut.send(aPush('Check-in'), [
      'device-a',
      'unregistered-token',
      'malformed-token',
      'busy-token',
      'device-a',
    ]);

    expect(report.sent).toEqual(['device-a']);
    expect(report.dead).toEqual([
      {
        token: 'unregistered-token',
        reason: 'FCM 404 NOT_FOUND: Requested entity was not found.',
      },
      {
        token: 'malformed-token',
        reason:
          'FCM 400 INVALID_ARGUMENT: The registration token is not a valid FCM registration token',
      },
    ]);
    expect(report.failed).toEqual([
      {
        token: 'busy-token',
        transient: true,
        reason: expect.stringMatching(/^FCM HTTP 503: .*UNAVAILABLE/) as string,
      },
    ]);
    // The duplicate token is sent once.
    expect(fcm.requestsTo(SEND_PATH)).toHaveLength(4);
  });

  it('should keep a token when FCM answers 404 without UNREGISTERED, e.g. a wrong project in the URL', async () => {
    fcm.respondWith((request) =>
      request.path === '/token'
        ? fcmAnswer(request)
        : // What Google answers for a project that does not exist: no FcmError detail.
          { status: 404, body: fcmError(404, 'NOT_FOUND', 'Requested entity was not found.') },
    );

    const report = await sut.send(aPush('Check-in'), ['device-a']);

    expect(report.dead).toEqual([]);
    expect(report.failed).toEqual([
      {
        token: 'device-a',
        transient: false,
        reason: expect.stringMatching(/^FCM HTTP 404: .*NOT_FOUND/) as string,
      },
    ]);
  });

  it('should cut a send to many slow tokens at its time budget, failing the rest transiently', async () => {
    // 4 × PUSH_TIMEOUT_MS: the longest the lease check counts on for one FCM send.
    const slow = await startPhxChannels({
      PUSH_PROVIDER: 'fcm',
      PUSH_TIMEOUT_MS: '500',
      FCM_SERVICE_ACCOUNT_JSON: JSON.stringify({
        project_id: PROJECT,
        client_email: CLIENT_EMAIL,
        private_key: keys.privateKey,
      }),
      FCM_BASE_URL: fcm.url,
      FCM_TOKEN_URL: `${fcm.url}/token`,
    });
    // Each send answered just within its own timeout: 10 at a time, 60 tokens take 6 rounds.
    fcm.respondWith((request) =>
      request.path === '/token' ? fcmAnswer(request) : { ...fcmAnswer(request), afterMs: 450 },
    );
    const tokens = Array.from({ length: 60 }, (_, n) => `device-${n}`);
    try {
      const report = await slow.get<PushProvider>(PUSH_PROVIDER).send(aPush('Check-in'), tokens);

      expect(report.sent.length).toBeGreaterThan(0);
      expect(report.failed.length).toBeGreaterThan(0);
      expect(report.sent.length + report.failed.length).toBe(tokens.length);
      for (const failure of report.failed) {
        expect(failure).toEqual({
          token: failure.token,
          transient: true,
          reason: 'FCM: not sent within the send budget of 2000 ms',
        });
      }
    } finally {
      await slow.close();
    }
  });

  it('should fail every token, transient, when the token endpoint does not answer, then recover', async () => {
    fcm.respondWith((request) => (request.path === '/token' ? { drop: true } : fcmAnswer(request)));

    const down = await sut.send(aPush('Check-in'), ['device-a', 'device-b']);

    expect(down.sent).toEqual([]);
    expect(down.failed).toEqual([
      { token: 'device-a', transient: true, reason: expect.stringMatching(/^FCM access token: /) },
      { token: 'device-b', transient: true, reason: expect.stringMatching(/^FCM access token: /) },
    ]);
    expect(fcm.requestsTo(SEND_PATH)).toHaveLength(0);

    fcm.respondWith(fcmAnswer);
    expect(await sut.send(aPush('Check-in'), ['device-a'])).toEqual({
      sent: ['device-a'],
      dead: [],
      failed: [],
    });
  });

  it('should replace an access token FCM refuses once, then report a second 401 as final', async () => {
    let issued = 0;
    fcm.respondWith((request) => {
      if (request.path === '/token') {
        issued += 1;
        return { status: 200, body: { access_token: `ya29.access-${issued}`, expires_in: 3599 } };
      }
      const valid = request.headers.authorization === 'Bearer ya29.access-2';
      return valid
        ? fcmAnswer(request)
        : { status: 401, body: fcmError(401, 'UNAUTHENTICATED', 'revoked') };
    });

    const first = await sut.send(aPush('Check-in'), ['device-a']);

    expect(first).toEqual({ sent: ['device-a'], dead: [], failed: [] });
    expect(fcm.requestsTo('/token')).toHaveLength(2);

    fcm.respondWith((request) =>
      request.path === '/token'
        ? { status: 200, body: { access_token: 'ya29.access-3', expires_in: 3599 } }
        : { status: 401, body: fcmError(401, 'UNAUTHENTICATED', 'revoked') },
    );
    const second = await sut.send(aPush('Check-in'), ['device-b']);

    expect(second.failed).toEqual([
      {
        token: 'device-b',
        transient: false,
        reason: expect.stringMatching(/^FCM HTTP 401: .*UNAUTHENTICATED/) as string,
      },
    ]);
  });

  it('should fail permanently when the token endpoint refuses the grant', async () => {
    fcm.respondWith(() => ({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' },
    }));

    const report = await sut.send(aPush('Check-in'), ['device-a']);

    expect(report.failed).toEqual([
      {
        token: 'device-a',
        transient: false,
        reason: expect.stringContaining(
          'FCM access token: HTTP 400: {"error":"invalid_grant"',
        ) as string,
      },
    ]);
  });
});
