import { Socket } from 'socket.io-client';
import request from 'supertest';
import type { TestSchema } from '@signal/persistence/testing/test-schema';
import { createTestSchema, SignalTestApp, startSignalTestApp } from '../../support/signal-test-app';
import { collect, connectSocket, settle, waitForCount } from '../../support/socket-client';
import { TEST_API_KEY, userToken } from '../../support/tokens';

const BASE = '/socket/websocket/clients';

describe('REST emit endpoints (real Redis, socket.io-client)', () => {
  let db: TestSchema;
  let signal: SignalTestApp;
  let http: ReturnType<typeof request>;
  let alice: Socket;
  let bob: Socket;
  let carol: Socket;

  beforeAll(async () => {
    db = await createTestSchema('emit-rest');
    signal = await startSignalTestApp(db, { SIGNAL_EMIT_MAX_PAYLOAD_BYTES: '2048' });
    http = request(signal.app.getHttpServer());
    [alice, bob, carol] = await Promise.all(
      [
        { sub: 'alice', organizerId: 'org-1' },
        { sub: 'bob', organizerId: 'org-1' },
        { sub: 'carol', organizerId: 'org-2' },
      ].map((claims) => connectSocket(signal.baseUrl, { token: userToken(claims) })),
    );
  });

  afterAll(async () => {
    [alice, bob, carol].forEach((socket) => socket.close());
    await signal.close();
    await db.drop();
  });

  const post = (path: string, body: object) =>
    http.post(`${BASE}${path}`).set('x-api-key', TEST_API_KEY).send(body);

  it('broadcast should reach every connected client', async () => {
    const received = [alice, bob, carol].map((socket) => collect(socket, 'announce/all'));

    const response = await post('/broadcast', { topic: 'announce/all', payload: { n: 1 } });

    expect(response.status).toBe(202);
    expect(response.body).toEqual({ status: 'emitted', target: 'all', topic: 'announce/all' });
    for (const inbox of received)
      expect(await waitForCount(inbox, 1, 'the broadcast')).toEqual([{ n: 1 }]);
  });

  it('a room should reach exactly the sockets in it', async () => {
    const received = [alice, bob, carol].map((socket) => collect(socket, 'org/news'));

    const response = await post(`/rooms/${encodeURIComponent('signal/notification/org-1')}/send`, {
      topic: 'org/news',
      payload: { text: 'họp phụ huynh' },
    });

    expect(response.status).toBe(202);
    await waitForCount(received[0], 1, 'alice');
    await waitForCount(received[1], 1, 'bob');
    await settle();
    expect(received).toEqual([[{ text: 'họp phụ huynh' }], [{ text: 'họp phụ huynh' }], []]);
  });

  it('a client id should reach exactly that connection', async () => {
    const received = [alice, bob, carol].map((socket) => collect(socket, 'direct/one'));

    const response = await post(`/${bob.id}/send`, {
      topic: 'direct/one',
      payload: { only: 'bob' },
    });

    expect(response.status).toBe(202);
    await waitForCount(received[1], 1, 'bob');
    await settle();
    expect(received).toEqual([[], [{ only: 'bob' }], []]);
  });

  it.each([
    ['no x-api-key', undefined, { topic: 't', payload: {} }, 401, 'header x-api-key is missing'],
    [
      'an unknown x-api-key',
      'wrong-key-0123456789',
      { topic: 't', payload: {} },
      401,
      'not a known key',
    ],
  ])('should answer %s with 401', async (_, key, body, status, message) => {
    const call = http.post(`${BASE}/broadcast`);
    const response = await (key ? call.set('x-api-key', key) : call).send(body);
    expect(response.status).toBe(status);
    expect(response.body.message).toContain(message);
  });

  it.each([
    'connect',
    'connect_error',
    'disconnect',
    'disconnecting',
    'newListener',
    'removeListener',
  ])(
    'should answer 400 on every emit route for the reserved Socket.IO event name %j',
    async (topic) => {
      const paths = [
        '/broadcast',
        `/rooms/${encodeURIComponent('signal/notification/alice')}/send`,
        `/${alice.id}/send`,
      ];
      for (const path of paths) {
        const response = await post(path, { topic, payload: {} });
        expect(response.status).toBe(400);
        expect(response.body).toEqual({
          statusCode: 400,
          error: 'INVALID_INPUT',
          message: expect.stringContaining(`topic "${topic}" is reserved by Socket.IO`),
        });
      }
    },
  );

  it.each([
    [
      'an empty topic',
      '/broadcast',
      { topic: '', payload: {} },
      400,
      'topic must be a non-empty string',
    ],
    [
      'an over-long topic',
      '/broadcast',
      { topic: 't'.repeat(201), payload: {} },
      400,
      'at most 200',
    ],
    ['a topic with spaces', '/broadcast', { topic: 'a b', payload: {} }, 400, 'whitespace'],
    ['no topic', '/broadcast', { payload: {} }, 400, 'topic must be a string'],
    [
      'a payload that is not an object',
      '/broadcast',
      { topic: 't', payload: 'hi' },
      400,
      'payload must be a JSON object',
    ],
    ['no payload', '/broadcast', { topic: 't' }, 400, 'payload must be a JSON object'],
    [
      'an unknown field',
      '/broadcast',
      { topic: 't', payload: {}, room: 'x' },
      400,
      'property room should not exist',
    ],
    [
      'a payload over the limit',
      '/broadcast',
      { topic: 't', payload: { blob: 'x'.repeat(3000) } },
      413,
      'the limit is 2048',
    ],
    [
      'a bad room name',
      `/rooms/${encodeURIComponent('a//b')}/send`,
      { topic: 't', payload: {} },
      400,
      'room name',
    ],
    [
      'a client that is not connected',
      '/no-such-client/send',
      { topic: 't', payload: {} },
      404,
      'client no-such-client is not connected',
    ],
  ])('should refuse %s, with its status and reason', async (_, path, body, status, message) => {
    const response = await post(path, body);
    expect(response.status).toBe(status);
    expect(JSON.stringify(response.body.message)).toContain(message);
  });
});
