import { Socket } from 'socket.io-client';
import request from 'supertest';
import type { TestSchema } from '@signal/persistence/testing/test-schema';
import {
  createTestSchema,
  SignalTestApp,
  socketRedisKeyOf,
  startSignalTestApp,
} from '../../support/signal-test-app';
import { runFixture } from '../../support/fixture-process';
import { collect, connectSocket, settle, waitForCount } from '../../support/socket-client';
import { TestServices } from '../../support/test-services';
import { TEST_API_KEY, userToken } from '../../support/tokens';

/** Runs the emitter fixture as a separate OS process, as another service would. */
function emitFromAnotherProcess(key: string, target: string, topic: string, payload: object) {
  return runFixture('websocket-emitter-process.ts', {
    args: [TestServices.redisUrl, key, target, topic, JSON.stringify(payload)],
  });
}

describe('two Signal instances sharing Redis, and WebSocketEmitter from another process', () => {
  let db: TestSchema;
  let instanceA: SignalTestApp;
  let instanceB: SignalTestApp;
  let onA: Socket;
  let otherOnA: Socket;

  beforeAll(async () => {
    db = await createTestSchema('multi-instance');
    [instanceA, instanceB] = await Promise.all([startSignalTestApp(db), startSignalTestApp(db)]);
    expect(instanceA.baseUrl).not.toBe(instanceB.baseUrl);
    onA = await connectSocket(instanceA.baseUrl, { token: userToken({ sub: 'u-multi' }) });
    otherOnA = await connectSocket(instanceA.baseUrl, { token: userToken({ sub: 'u-other' }) });
  });

  afterAll(async () => {
    onA.close();
    otherOnA.close();
    await Promise.all([instanceA.close(), instanceB.close()]);
    await db.drop();
  });

  it('should deliver to a client on A an emission requested through REST on B', async () => {
    const received = collect(onA, 'cross/instance');
    const notForOther = collect(otherOnA, 'cross/instance');

    await request(instanceB.app.getHttpServer())
      .post(
        `/socket/websocket/clients/rooms/${encodeURIComponent('signal/notification/u-multi')}/send`,
      )
      .set('x-api-key', TEST_API_KEY)
      .send({ topic: 'cross/instance', payload: { via: 'B' } })
      .expect(202);

    expect(await waitForCount(received, 1, 'the emit through B')).toEqual([{ via: 'B' }]);
    await settle();
    expect(notForOther).toEqual([]);
  });

  it('should find a client connected to A when B is asked to send to its id', async () => {
    const received = collect(onA, 'cross/client');

    await request(instanceB.app.getHttpServer())
      .post(`/socket/websocket/clients/${onA.id}/send`)
      .set('x-api-key', TEST_API_KEY)
      .send({ topic: 'cross/client', payload: { to: 'one' } })
      .expect(202);

    expect(await waitForCount(received, 1, 'the client emit through B')).toEqual([{ to: 'one' }]);
  });

  it('should deliver to a room, a client and everyone from WebSocketEmitter in a separate process', async () => {
    const toRoom = collect(onA, 'emitter/room');
    const toClient = collect(onA, 'emitter/client');
    const toAll = [collect(onA, 'emitter/all'), collect(otherOnA, 'emitter/all')];
    const roomOfOther = collect(otherOnA, 'emitter/room');

    await emitFromAnotherProcess(
      socketRedisKeyOf(db),
      'signal/notification/u-multi',
      'emitter/room',
      { kind: 'room' },
    );
    await emitFromAnotherProcess(socketRedisKeyOf(db), `client:${onA.id}`, 'emitter/client', {
      kind: 'client',
    });
    await emitFromAnotherProcess(socketRedisKeyOf(db), 'broadcast', 'emitter/all', { kind: 'all' });

    expect(await waitForCount(toRoom, 1, 'the room emit')).toEqual([{ kind: 'room' }]);
    expect(await waitForCount(toClient, 1, 'the client emit')).toEqual([{ kind: 'client' }]);
    for (const inbox of toAll)
      expect(await waitForCount(inbox, 1, 'the broadcast')).toEqual([{ kind: 'all' }]);
    await settle();
    expect(roomOfOther).toEqual([]);
  });
});
