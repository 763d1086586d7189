import { connect } from 'node:net';
import type { TestSchema } from '@signal/persistence/testing/test-schema';
import { PUSH_INAPP_NOTI_LIMITS } from 'phx-node';
import request from 'supertest';
import { emailPayload } from '../../../libs/phx-node/test/payloads';
import {
  bodyLimitFor,
  NO_BODY_LIMIT,
  WIDEST_CHAR,
} from '../../../apps/signal/src/common/body-limit';
import { DEMO_TOKEN_BODY_LIMIT } from '../../../apps/signal/src/demo/demo-token-request.dto';
import {
  NOTIFICATION_SETTING_BODY_LIMIT,
  REGISTER_DEVICE_BODY_LIMIT,
  USER_PREFERENCES_BODY_LIMIT,
} from '../../../apps/signal/src/phx-push/admin/admin.dto';
import { emitBodyLimit } from '../../../apps/signal/src/signal-gateway/emit/emit-request.dto';
import { testSignalConfig } from '../../support/test-config';
import { createTestSchema, SignalTestApp, startSignalTestApp } from '../../support/signal-test-app';
import { TEST_API_KEY, userToken } from '../../support/tokens';
import { uniqueName } from '../../support/unique-name';

const NUL = '\u0000';
const NUL_MESSAGE = 'must not contain a NUL character (\\u0000)';
const EMIT_MAX_PAYLOAD_BYTES = 4096;

/** `body` as compact JSON with spaces before its closing brace, `bytes` long in all. */
function paddedTo(body: object, bytes: number): string {
  const json = JSON.stringify(body);
  const room = bytes - Buffer.byteLength(json);
  if (room < 0) throw new Error(`the body is ${-room} bytes over ${bytes} already`);
  return `${json.slice(0, -1)}${' '.repeat(room)}}`;
}

/** A JSON object of exactly `bytes` bytes of compact JSON. */
function objectOfBytes(bytes: number): Record<string, string> {
  return { pad: 'x'.repeat(bytes - Buffer.byteLength(JSON.stringify({ pad: '' }))) };
}

describe('HTTP boundary: NUL characters and body limits (real PostgreSQL)', () => {
  let db: TestSchema;
  let signal: SignalTestApp;
  let http: ReturnType<typeof request>;
  const userAuth = `Bearer ${userToken({ sub: 'u-boundary' })}`;

  beforeAll(async () => {
    db = await createTestSchema('http-boundary');
    signal = await startSignalTestApp(db, {
      KAFKA_TOPIC_PHX_PUSH: uniqueName('http-boundary'),
      SIGNAL_EMIT_MAX_PAYLOAD_BYTES: String(EMIT_MAX_PAYLOAD_BYTES),
      DEMO_ENABLED: 'true',
      HTTP_REQUEST_TIMEOUT_MS: '2000',
      HTTP_HEADERS_TIMEOUT_MS: '1000',
    });
    http = request(signal.app.getHttpServer());
    await http
      .put('/admin/notification-settings/FEE:NOTICE')
      .set('x-api-key', TEST_API_KEY)
      .send({ enabled: true, critical: false, channels: ['email', 'in_app'] })
      .expect(200);
  });

  afterAll(async () => {
    await signal?.close();
    await db?.drop();
  });

  /** The raw answer to `head` (request line and headers) on a fresh connection. */
  function rawRequest(head: string): Promise<string> {
    const { port } = new URL(signal.baseUrl);
    return new Promise((resolve, reject) => {
      let answer = '';
      const socket = connect(Number(port), '127.0.0.1', () => socket.write(head));
      socket.on('data', (chunk) => (answer += chunk.toString()));
      socket.on('close', () => resolve(answer));
      socket.on('error', reject);
    });
  }

  describe('a NUL character anywhere a caller puts text: 400 naming the field', () => {
    it.each([
      ['a room name', 'post', '/socket/websocket/clients/rooms/room%00a/send', 'roomName'],
      ['a client id', 'post', '/socket/websocket/clients/client%00a/send', 'clientId'],
      ['a user id', 'get', '/admin/users/u%00a/devices', 'userId'],
      ['an action code', 'get', '/admin/notification-settings/FEE%00:NOTICE', 'actionCode'],
      ['a query parameter', 'get', '/admin/users/u-1/deliveries?actionCode=FEE:N%00', 'actionCode'],
    ] as const)('should refuse one in %s', async (_, method, path, field) => {
      const { status, body } = await http[method](path)
        .set('x-api-key', TEST_API_KEY)
        .send({ topic: 'news', payload: {} });

      expect({ status, body }).toEqual({
        status: 400,
        body: {
          statusCode: 400,
          error: 'INVALID_INPUT',
          message: [`${field}: ${NUL_MESSAGE}`],
          violations: [{ field, message: NUL_MESSAGE }],
        },
      });
    });

    it.each([
      [
        'a device token',
        '/admin/users/u-1/devices',
        'post',
        { app: 'PHX', token: `t${NUL}k` },
        'token',
      ],
      [
        'a setting description',
        '/admin/notification-settings/FEE:OTHER',
        'put',
        { enabled: true, critical: false, channels: ['push'], description: `a${NUL}` },
        'description',
      ],
      [
        'a preference list',
        '/admin/users/u-1/preferences',
        'put',
        {
          preferences: [
            { actionCode: 'FEE:NOTICE', channel: 'push', enabled: true, [`x${NUL}`]: 1 },
          ],
        },
        'preferences[0]',
      ],
    ] as const)('should refuse one in %s', async (_, path, method, body, field) => {
      const response = await http[method](path).set('x-api-key', TEST_API_KEY).send(body);

      expect(response.status).toBe(400);
      expect(response.body.violations).toEqual([
        { field, message: expect.stringContaining('NUL character') as string },
      ]);
    });

    it('should refuse one in a PHX payload, with every other violation, before PostgreSQL sees it', async () => {
      const { status, body } = await http
        .post('/emit/inapp-noti')
        .set('x-api-key', TEST_API_KEY)
        .send({ ...emailPayload({ title: `Học phí${NUL}` }), hostname: '' });

      expect({ status, violations: body.violations }).toEqual({
        status: 400,
        violations: [
          { field: 'hostname', message: 'must not be empty' },
          { field: 'sendEmailV3.title', message: NUL_MESSAGE },
        ],
      });
    });

    it('should refuse one in the idempotency-key header, naming the header', async () => {
      const answer = await rawRequest(
        `POST /emit/inapp-noti HTTP/1.1\r\nHost: x\r\nx-api-key: ${TEST_API_KEY}\r\n` +
          `idempotency-key: key${NUL}1\r\nContent-Length: 2\r\n\r\n{}`,
      );

      expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
      expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toEqual({
        statusCode: 400,
        error: 'INVALID_INPUT',
        message: 'header idempotency-key: must not contain a NUL character (\\u0000)',
      });
    });
  });

  describe('a client that trickles its request: 408, and the connection closed', () => {
    it.each([
      ['headers that never end', 'POST /emit/inapp-noti HTTP/1.1\r\nHost: x\r\n'],
      [
        'a body that never ends',
        `POST /emit/inapp-noti HTTP/1.1\r\nHost: x\r\nx-api-key: ${TEST_API_KEY}\r\n` +
          'content-type: application/json\r\nContent-Length: 100\r\n\r\n{"user_id":',
      ],
    ])('should answer %s with 408', async (_, head) => {
      const answer = await rawRequest(head);

      expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
      expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({
        statusCode: 408,
        error: 'REQUEST_TIMEOUT',
      });
    });
  });

  describe('each route takes what its DTO accepts and refuses more with 413 saying its limit', () => {
    const preferences = Array.from({ length: 1000 }, (_, n) => ({
      actionCode: `${'A'.repeat(120)}:F${String(n).padStart(6, '0')}`,
      channel: 'in_app',
      enabled: false,
    }));
    const emitLimit = emitBodyLimit(
      testSignalConfig({ SIGNAL_EMIT_MAX_PAYLOAD_BYTES: String(EMIT_MAX_PAYLOAD_BYTES) }),
    );
    const producerLimit = bodyLimitFor(PUSH_INAPP_NOTI_LIMITS.jsonBytes);
    // The largest valid body of each route: every field at its longest, free text in 3-byte characters.
    const cases = [
      {
        route: 'PUT /admin/users/:userId/preferences',
        path: '/admin/users/u-1/preferences',
        method: 'put',
        limit: USER_PREFERENCES_BODY_LIMIT,
        body: { preferences },
        auth: 'key',
      },
      {
        route: 'PUT /admin/notification-settings/:actionCode',
        path: '/admin/notification-settings/FEE:WIDE',
        method: 'put',
        limit: NOTIFICATION_SETTING_BODY_LIMIT,
        body: {
          enabled: true,
          channels: ['push', 'email', 'in_app'],
          critical: false,
          description: WIDEST_CHAR.repeat(2000),
        },
        auth: 'key',
      },
      {
        route: 'POST /admin/users/:userId/devices',
        path: '/admin/users/u-1/devices',
        method: 'post',
        limit: REGISTER_DEVICE_BODY_LIMIT,
        body: { app: WIDEST_CHAR.repeat(64), token: WIDEST_CHAR.repeat(4096), platform: 'android' },
        auth: 'key',
      },
      {
        route: 'POST /notification-center/devices',
        path: '/notification-center/devices',
        method: 'post',
        limit: REGISTER_DEVICE_BODY_LIMIT,
        body: {
          app: WIDEST_CHAR.repeat(64),
          token: `${WIDEST_CHAR.repeat(4095)}2`,
          platform: 'android',
        },
        auth: 'user',
      },
      {
        route: 'POST /demo/token',
        path: '/demo/token',
        method: 'post',
        limit: DEMO_TOKEN_BODY_LIMIT,
        body: {
          sub: WIDEST_CHAR.repeat(128),
          organizerId: WIDEST_CHAR.repeat(128),
          merchantIds: Array.from({ length: 50 }, () => WIDEST_CHAR.repeat(128)),
        },
        auth: 'none',
      },
      {
        route: 'POST /socket/websocket/clients/broadcast',
        path: '/socket/websocket/clients/broadcast',
        method: 'post',
        limit: emitLimit,
        body: { topic: WIDEST_CHAR.repeat(200), payload: objectOfBytes(EMIT_MAX_PAYLOAD_BYTES) },
        auth: 'key',
      },
      {
        route: 'POST /emit/inapp-noti',
        path: '/emit/inapp-noti',
        method: 'post',
        limit: producerLimit,
        body: emailPayload({ content: WIDEST_CHAR.repeat(PUSH_INAPP_NOTI_LIMITS.content) }),
        auth: 'key',
      },
      {
        route: 'POST /notifications/read-all',
        path: '/notifications/read-all',
        method: 'post',
        limit: NO_BODY_LIMIT,
        body: {},
        auth: 'user',
      },
    ] as const;

    function send({ path, method, auth }: (typeof cases)[number], body: string) {
      const call = http[method](path).set('content-type', 'application/json');
      if (auth === 'key') call.set('x-api-key', TEST_API_KEY);
      if (auth === 'user') call.set('authorization', userAuth);
      return call.send(body);
    }

    it.each(cases)(
      '$route: the largest valid body, padded to the limit, is taken',
      async (route) => {
        const response = await send(route, paddedTo(route.body, route.limit));

        expect([200, 201, 202]).toContain(response.status);
      },
    );

    it.each(cases)('$route: one byte more is refused with 413 naming the limit', async (route) => {
      const { status, body } = await send(route, paddedTo(route.body, route.limit + 1));

      expect({ status, body }).toEqual({
        status: 413,
        body: {
          statusCode: 413,
          error: 'PAYLOAD_TOO_LARGE',
          message: `the request body is larger than ${route.limit} bytes, the limit of ${route.route}`,
        },
      });
    });

    it('should answer 400 naming the limit for a PHX payload over it as compact JSON', async () => {
      const body = {
        ...emailPayload(),
        inApp: {
          title: 't',
          message: 'm',
          payload: objectOfBytes(PUSH_INAPP_NOTI_LIMITS.jsonBytes),
        },
      };
      const { status, body: answer } = await send(cases[6], JSON.stringify(body));

      expect(status).toBe(400);
      expect(answer.violations).toEqual([
        {
          field: '(root)',
          message: expect.stringMatching(
            new RegExp(`^must be at most ${PUSH_INAPP_NOTI_LIMITS.jsonBytes} bytes as JSON`),
          ) as string,
        },
      ]);
    });
  });
});
