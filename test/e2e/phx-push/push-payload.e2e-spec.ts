import { generateKeyPairSync } from 'node:crypto';
import type { TestSchema } from '@signal/persistence/testing/test-schema';
import { Admin } from 'kafkajs';
import { Socket } from 'socket.io-client';
import request from 'supertest';
import { WebhookPushRequest } from '../../../apps/signal/src/phx-push/channels/webhook.push-provider';
import { createTopic, testKafka } from '../../support/kafka';
import { LoopbackHttpServer, RecordedRequest } from '../../support/loopback-http-server';
import { createTestSchema, SignalTestApp, startSignalTestApp } from '../../support/signal-test-app';
import { recordsReceivedBy } from '../../support/socket-client';
import { TEST_API_KEY, userToken } from '../../support/tokens';
import { uniqueName } from '../../support/unique-name';
import { waitFor } from '../../support/wait-for';

const APP = 'PHX_PARENT';
const FCM_PROJECT = 'phx-payload';

interface FcmSendBody {
  message: { token: string; notification: { title: string; body: string }; data: unknown };
}

/**
 * `pushNotiMobile.payload` is any JSON value (seed 004: `payload: any`). Each case: the payload
 * as sent, and the string map a push provider gets (FCM HTTP v1 `message.data` is a
 * `map (key: string, value: string)`).
 */
const PAYLOADS: { kind: string; payload: unknown; data: Record<string, string> }[] = [
  // Seed 004 §5.3.
  {
    kind: 'seed-object',
    payload: { action: 'OPEN_CHECK_IN_PAGE' },
    data: { action: 'OPEN_CHECK_IN_PAGE' },
  },
  {
    kind: 'nested-object',
    payload: { action: 'OPEN_FEE_NOTICE', feeId: 7, months: [11, 12], paid: false, note: null },
    data: {
      action: 'OPEN_FEE_NOTICE',
      feeId: '7',
      months: '[11,12]',
      paid: 'false',
      note: 'null',
    },
  },
  { kind: 'string', payload: 'OPEN_CHECK_IN_PAGE', data: { payload: 'OPEN_CHECK_IN_PAGE' } },
  {
    kind: 'array',
    payload: ['OPEN_CHECK_IN_PAGE', { studentId: 42 }],
    data: { payload: '["OPEN_CHECK_IN_PAGE",{"studentId":42}]' },
  },
  { kind: 'number', payload: 42, data: { payload: '42' } },
  { kind: 'boolean', payload: true, data: { payload: 'true' } },
  { kind: 'null', payload: null, data: { payload: 'null' } },
];

const checkIn = (user: string, payload: unknown) => ({
  user_id: user,
  hostname: 'portal.phx.vn',
  action_code: 'HRM_CHECKIN:FACEID',
  type: 'TO_ME',
  pushNotiMobile: {
    title: 'Check-in',
    message: 'Bé đã tới trường',
    module_code: 'HRM_CHECKIN',
    app: APP,
    payload,
  },
});

/** A Signal app with the Consumer on and one push provider, the provider a loopback server. */
interface Provider {
  name: 'webhook' | 'fcm';
  answer(call: RecordedRequest): { status: number; body: unknown };
  env(server: LoopbackHttpServer): Record<string, string>;
  /** The calls carrying push notifications, with the token and data each carried. */
  pushes(server: LoopbackHttpServer): { tokens: string[]; data: unknown }[];
}

const keys = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});

const PROVIDERS: Provider[] = [
  {
    name: 'webhook',
    answer: (call) => ({
      status: 200,
      body: {
        results: call.json<WebhookPushRequest>().tokens.map((token) => ({ token, status: 'sent' })),
      },
    }),
    env: (server) => ({ PUSH_PROVIDER: 'webhook', PUSH_WEBHOOK_URL: `${server.url}/push` }),
    pushes: (server) =>
      server.requestsTo('/push').map((call) => {
        const { tokens, data } = call.json<WebhookPushRequest>();
        return { tokens, data };
      }),
  },
  {
    name: 'fcm',
    answer: (call) =>
      call.path === '/token'
        ? { status: 200, body: { access_token: 'ya29.payload-test', expires_in: 3599 } }
        : { status: 200, body: { name: `projects/${FCM_PROJECT}/messages/1` } },
    env: (server) => ({
      PUSH_PROVIDER: 'fcm',
      FCM_SERVICE_ACCOUNT_JSON: JSON.stringify({
        type: 'service_account',
        project_id: FCM_PROJECT,
        client_email: `signal@${FCM_PROJECT}.iam.gserviceaccount.com`,
        private_key: keys.privateKey,
      }),
      FCM_BASE_URL: server.url,
      FCM_TOKEN_URL: `${server.url}/token`,
    }),
    pushes: (server) =>
      server.requestsTo(`/v1/projects/${FCM_PROJECT}/messages:send`).map((call) => {
        const { token, data } = call.json<FcmSendBody>().message;
        return { tokens: [token], data };
      }),
  },
];

describe.each(PROVIDERS)(
  'pushNotiMobile.payload of any JSON value through the Producer and the Consumer to $name (real Kafka, PostgreSQL, Socket.IO, loopback provider)',
  (provider) => {
    const topic = uniqueName(`it.phx-payload-${provider.name}`);
    let admin: Admin;
    let db: TestSchema;
    let server: LoopbackHttpServer;
    let signal: SignalTestApp;
    let http: ReturnType<typeof request>;
    const sockets: Socket[] = [];
    const userOf = (kind: string) => `pp-${provider.name}-${kind}`;

    beforeAll(async () => {
      admin = testKafka(uniqueName(`it-phx-payload-${provider.name}`)).admin();
      await admin.connect();
      await createTopic(admin, topic);
      await createTopic(admin, `${topic}.dlq`);
      server = await LoopbackHttpServer.start((call) => provider.answer(call));
      db = await createTestSchema(`phx-payload-${provider.name}`);
      signal = await startSignalTestApp(db, {
        KAFKA_ENABLED: 'true',
        KAFKA_TOPIC_PHX_PUSH: topic,
        KAFKA_TOPIC_ACTIVITY_NOTIFICATION: uniqueName('it.phx-payload-activity'),
        APP_ENV_KAFKA_GROUP_ID: uniqueName(`IT_PHX_PAYLOAD_${provider.name}`),
        KAFKA_FROM_BEGINNING: 'true',
        ...provider.env(server),
      });
      http = request(signal.app.getHttpServer());
      await http
        .put('/admin/notification-settings/HRM_CHECKIN:FACEID')
        .set('x-api-key', TEST_API_KEY)
        .send({ enabled: true, channels: ['push', 'in_app'], critical: false })
        .expect(200);
      for (const { kind } of PAYLOADS) {
        await http
          .post(`/admin/users/${userOf(kind)}/devices`)
          .set('x-api-key', TEST_API_KEY)
          .send({ app: APP, token: `token-${provider.name}-${kind}`, platform: 'android' })
          .expect(201);
      }
    });

    afterAll(async () => {
      sockets.forEach((socket) => socket.close());
      await signal?.close();
      await server?.close();
      await admin?.deleteTopics({ topics: [topic, `${topic}.dlq`] }).catch(() => undefined);
      await admin?.disconnect();
      await db?.drop();
    });

    const listenAs = (user: string) => recordsReceivedBy(signal.baseUrl, user, sockets);

    it.each(PAYLOADS)(
      'should store, show and push the $kind payload, flattened to strings for the provider',
      async ({ kind, payload, data }) => {
        const user = userOf(kind);
        const live = await listenAs(user);

        const { body } = await http
          .post('/emit/inapp-noti')
          .set('x-api-key', TEST_API_KEY)
          .send(checkIn(user, payload))
          .expect(202);

        const status = await waitFor(
          `request ${body.id} to be finished`,
          async () => {
            const [row]: { status: string }[] = await db.dataSource.query(
              `SELECT status FROM phx_push_requests WHERE id = $1`,
              [body.id],
            );
            return row && row.status !== 'accepted' ? row.status : undefined;
          },
          { timeoutMs: 30_000 },
        );
        expect(status).toBe('delivered');

        // The provider got the payload as a map of strings, once, to the user's device.
        const pushes = provider
          .pushes(server)
          .filter((push) => push.tokens.includes(`token-${provider.name}-${kind}`));
        expect(pushes).toEqual([{ tokens: [`token-${provider.name}-${kind}`], data }]);

        // The stored request, the socket event and the Notification Center keep it as sent.
        const [stored]: { payload: { pushNotiMobile: { payload: unknown } } }[] =
          await db.dataSource.query(`SELECT payload FROM phx_push_requests WHERE id = $1`, [
            body.id,
          ]);
        expect(stored.payload.pushNotiMobile.payload).toEqual(payload);
        const event = await waitFor('the live record event', () => live[0]);
        expect(event.payload).toEqual(payload);
        const center = await http
          .get('/notification-center/records')
          .set('Authorization', `Bearer ${userToken({ sub: user })}`)
          .expect(200);
        expect((center.body as { items: { id: string; payload: unknown }[] }).items).toEqual([
          expect.objectContaining({ id: event.id, payload }),
        ]);
      },
    );
  },
);
