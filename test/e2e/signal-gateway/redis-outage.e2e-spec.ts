import { NotificationWebSocketRooms, WebSocketEmitter } from '@signal/core';
import type { TestSchema } from '@signal/persistence/testing/test-schema';
import Redis from 'ioredis';
import { Socket } from 'socket.io-client';
import { createTestSchema } from '../../support/signal-test-app';
import { freePort } from '../../support/free-port';
import { PrivateRedis } from '../../support/private-services';
import { SignalProcess, spawnSignal, waitUntilServing } from '../../support/signal-process';
import { collect, connectSocket, waitForCount } from '../../support/socket-client';
import { TEST_API_KEY, userToken } from '../../support/tokens';
import { waitFor } from '../../support/wait-for';

const ROOM = NotificationWebSocketRooms.recipient('u-redis-outage');
const REDIS_KEY = 'socket.io.redis-outage';

/**
 * Longer than the ~10 s in which ioredis's default 20 retries ran out and rejected the queued
 * publishes with MaxRetriesPerRequestError, which ended the process before.
 */
const OUTAGE_MS = 15_000;

describe('Redis going away under REST emits (the app as an OS process, a private redis-server)', () => {
  let db: TestSchema;
  let redis: PrivateRedis;
  let app: SignalProcess;
  let baseUrl: string;
  let socket: Socket;

  beforeAll(async () => {
    db = await createTestSchema('redis-outage');
    redis = await PrivateRedis.create();
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    app = spawnSignal({
      NODE_ENV: 'test',
      PORT: String(port),
      LOG_LEVEL: 'log',
      DATABASE_URL: db.options.url,
      DATABASE_SCHEMA: db.options.schema,
      KAFKA_ENABLED: 'false',
      RABBITMQ_ENABLED: 'false',
      REDIS_URL: redis.url,
      SOCKET_IO_REDIS_KEY: REDIS_KEY,
    });
    await waitUntilServing(app, baseUrl, '/health/live');
    socket = await connectSocket(baseUrl, { token: userToken({ sub: 'u-redis-outage' }) });
  }, 120_000);

  afterAll(async () => {
    socket?.close();
    if (app?.child.exitCode === null) {
      app.child.kill('SIGTERM');
      await app.exited;
    }
    await redis?.destroy();
    await db?.drop();
  });

  const emitToRoom = (topic: string, payload: object = {}) =>
    fetch(`${baseUrl}/socket/websocket/clients/rooms/${encodeURIComponent(ROOM)}/send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': TEST_API_KEY },
      body: JSON.stringify({ topic, payload }),
    });
  const post = (path: string, body: object) =>
    fetch(`${baseUrl}/socket/websocket/clients${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': TEST_API_KEY },
      body: JSON.stringify(body),
    });

  it('should answer 503 with Retry-After while Redis is away, stay alive, and emit again once it is back', async () => {
    const before = collect(socket, 'outage/before');
    expect((await emitToRoom('outage/before', { n: 1 })).status).toBe(202);
    await waitForCount(before, 1, 'the emit before the outage');

    await redis.stop();
    const stoppedAt = Date.now();
    await waitFor('the app to notice Redis is gone', async () =>
      (await emitToRoom('outage/probe')).status === 503 ? true : undefined,
    );

    // About 50 emits a second on every route, for three seconds.
    const answers: { status: number; retryAfter: string | null; body: unknown }[] = [];
    while (Date.now() - stoppedAt < 3_000) {
      for (const response of await Promise.all([
        emitToRoom('outage/during', { at: Date.now() }),
        post('/broadcast', { topic: 'outage/during', payload: {} }),
        post(`/${socket.id}/send`, { topic: 'outage/during', payload: {} }),
      ])) {
        answers.push({
          status: response.status,
          retryAfter: response.headers.get('retry-after'),
          body: await response.json(),
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 60));
    }
    expect(answers.length).toBeGreaterThan(100);
    expect(new Set(answers.map((answer) => JSON.stringify(answer)))).toEqual(
      new Set([
        JSON.stringify({
          status: 503,
          retryAfter: '5',
          body: {
            statusCode: 503,
            error: 'DEPENDENCY_UNAVAILABLE',
            message: 'redis unavailable (emits cannot reach the Signal instances), retry later',
          },
        }),
      ]),
    );

    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS - (Date.now() - stoppedAt)));
    expect(app.child.exitCode).toBeNull();
    expect((await fetch(`${baseUrl}/health/live`)).status).toBe(200);
    expect(socket.connected).toBe(true);

    await redis.start();
    await waitFor('REST emits to be accepted again', async () =>
      (await emitToRoom('outage/probe')).status === 202 ? true : undefined,
    );
    const after = collect(socket, 'outage/after');
    expect((await emitToRoom('outage/after', { n: 2 })).status).toBe(202);
    expect(await waitForCount(after, 1, 'the REST emit after Redis came back')).toEqual([{ n: 2 }]);
  }, 90_000);

  it('should receive again what other instances publish, once its subscriber is back', async () => {
    const publisher = new Redis(redis.url);
    publisher.on('error', () => undefined);
    const emitter = new WebSocketEmitter(publisher, REDIS_KEY);
    const received = collect(socket, 'outage/cross-instance');
    try {
      // Published through Redis only: this arrives only if the app subscribed again.
      await waitFor('an emit from another process to arrive', () => {
        emitter.toRoom(ROOM, 'outage/cross-instance', { via: 'redis' });
        return received.length > 0 ? true : undefined;
      });
    } finally {
      publisher.disconnect();
    }
    expect(received[0]).toEqual({ via: 'redis' });
  });

  it('should have logged the outage once per connection, not per retry, and its end', () => {
    const output = app.output();
    const count = (text: string) => output.split(text).length - 1;
    expect(app.child.exitCode).toBeNull();
    expect(output).not.toContain("missing 'error' handler");
    expect(count('Redis publisher connection failed')).toBe(1);
    expect(count('Redis subscriber connection failed')).toBe(1);
    expect(count('Redis publisher connected again')).toBe(1);
    expect(count('Redis subscriber connected again')).toBe(1);
  });
});
