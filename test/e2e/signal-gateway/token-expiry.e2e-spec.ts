import { SessionWebSocketTopics, TokenExpiredPayload } from '@signal/core';
import { Socket } from 'socket.io-client';
import request from 'supertest';
import type { TestSchema } from '@signal/persistence/testing/test-schema';
import { SignalGateway } from '../../../apps/signal/src/signal-gateway/socket/signal.gateway';
import { createTestSchema, SignalTestApp, startSignalTestApp } from '../../support/signal-test-app';
import { collect, connectSocket, refusedWith } from '../../support/socket-client';
import { userToken } from '../../support/tokens';
import { waitFor } from '../../support/wait-for';

describe('token lifetime: tokens without exp are refused, sockets end with their token (real app)', () => {
  let db: TestSchema;
  let signal: SignalTestApp;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    db = await createTestSchema('token-expiry');
    signal = await startSignalTestApp(db);
  });

  afterEach(() => sockets.splice(0).forEach((socket) => socket.close()));

  afterAll(async () => {
    await signal.close();
    await db.drop();
  });

  const withoutExp = () => userToken({ sub: 'u-forever' }, { expiresIn: null });

  it('should refuse a socket whose token has no exp, saying so', async () => {
    const error = await refusedWith(signal.baseUrl, { token: withoutExp() });

    expect(error.data).toEqual({ code: 'TOKEN_CLAIMS_INVALID' });
    expect(error.message).toBe('token has no exp claim');
  });

  it('should answer 401 to an HTTP call whose token has no exp, saying so', async () => {
    const response = await request(signal.app.getHttpServer())
      .get('/notifications')
      .set('Authorization', `Bearer ${withoutExp()}`);

    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      statusCode: 401,
      error: 'TOKEN_CLAIMS_INVALID',
      message: 'token has no exp claim',
    });
  });

  it('should tell a socket its token expired, then disconnect it and drop its rooms', async () => {
    const socket = await connectSocket(signal.baseUrl, {
      token: userToken({ sub: 'u-short-lived' }, { expiresIn: 2 }),
    });
    sockets.push(socket);
    const told = collect<TokenExpiredPayload>(socket, SessionWebSocketTopics.TOKEN_EXPIRED);
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    const server = signal.app.get(SignalGateway).server;
    expect(await server.in('signal/notification/u-short-lived').fetchSockets()).toHaveLength(1);

    const reason = await disconnected;

    expect(reason).toBe('io server disconnect');
    expect(told).toEqual([
      {
        code: 'TOKEN_EXPIRED',
        message: expect.stringMatching(/^token expired at .*: reconnect with a fresh token$/),
        expiredAt: expect.any(String),
      },
    ]);
    await waitFor('the server to drop the socket from its rooms', async () =>
      (await server.in('signal/notification/u-short-lived').fetchSockets()).length === 0
        ? true
        : undefined,
    );
  });
});
