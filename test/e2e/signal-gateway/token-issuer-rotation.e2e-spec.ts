import { Socket } from 'socket.io-client';
import request from 'supertest';
import type { TestSchema } from '@signal/persistence/testing/test-schema';
import { SignalGateway } from '../../../apps/signal/src/signal-gateway/socket/signal.gateway';
import { createTestSchema, SignalTestApp, startSignalTestApp } from '../../support/signal-test-app';
import { connectSocket, refusedWith } from '../../support/socket-client';
import { TEST_JWT_SECRET, TestClaims, userToken } from '../../support/tokens';

const PREVIOUS_SECRET = 'integration-previous-jwt-secret-0123456789';
const ISSUER = 'https://auth.signal.test';
const AUDIENCE = 'signal';

describe('user JWTs during a secret rotation, with an issuer and audience checked (real app)', () => {
  let db: TestSchema;
  let signal: SignalTestApp;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    db = await createTestSchema('token-rotation');
    signal = await startSignalTestApp(db, {
      SIGNAL_JWT_PREVIOUS_SECRET: PREVIOUS_SECRET,
      SIGNAL_JWT_ISSUER: ISSUER,
      SIGNAL_JWT_AUDIENCE: AUDIENCE,
      DEMO_ENABLED: 'true',
    });
  });

  afterEach(() => sockets.splice(0).forEach((socket) => socket.close()));

  afterAll(async () => {
    await signal.close();
    await db.drop();
  });

  const token = (
    claims: Partial<TestClaims>,
    options: { secret?: string; expiresIn?: number } = {},
  ) => userToken({ sub: 'u-rotation', iss: ISSUER, aud: AUDIENCE, ...claims }, options);
  const inbox = (jwt: string) =>
    request(signal.app.getHttpServer()).get('/notifications').set('Authorization', `Bearer ${jwt}`);
  const roomsOf = async (socket: Socket) => {
    const [serverSide] = await signal.app.get(SignalGateway).server.in(socket.id!).fetchSockets();
    return [...serverSide.rooms];
  };

  it.each([
    ['the current secret', TEST_JWT_SECRET],
    ['the previous secret', PREVIOUS_SECRET],
  ])('should accept a token signed with %s on HTTP and on the socket', async (_, secret) => {
    const jwt = token({ sub: 'u-rotation' }, { secret });

    const response = await inbox(jwt);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ items: [], nextCursor: null });

    const socket = await connectSocket(signal.baseUrl, { token: jwt });
    sockets.push(socket);
    expect(await roomsOf(socket)).toContain('signal/notification/u-rotation');
  });

  it.each([
    [
      'signed with neither secret',
      token({}, { secret: 'neither-of-the-secrets-0123456789' }),
      'TOKEN_INVALID',
      'token rejected: invalid signature',
    ],
    [
      'of the previous secret, expired',
      token({}, { secret: PREVIOUS_SECRET, expiresIn: -5 }),
      'TOKEN_EXPIRED',
      expect.stringMatching(/^token expired at /),
    ],
    [
      'without iss',
      token({ iss: undefined }),
      'TOKEN_CLAIMS_INVALID',
      `token claim "iss" must be "${ISSUER}"`,
    ],
    [
      'of another issuer',
      token({ iss: 'https://elsewhere.test' }, { secret: PREVIOUS_SECRET }),
      'TOKEN_CLAIMS_INVALID',
      `token claim "iss" must be "${ISSUER}"`,
    ],
    [
      'for another audience',
      token({ aud: ['billing'] }),
      'TOKEN_CLAIMS_INVALID',
      `token claim "aud" must be (or include) "${AUDIENCE}"`,
    ],
  ])(
    'should refuse a token %s: 401 on HTTP, connect_error on the socket',
    async (_, jwt, code, message) => {
      const response = await inbox(jwt);
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ statusCode: 401, error: code, message });

      const error = await refusedWith(signal.baseUrl, { token: jwt });
      expect(error.data).toEqual({ code });
      expect(error.message).toEqual(message);
    },
  );

  it('should mint demo tokens that pass the issuer and audience checks', async () => {
    const minted = await request(signal.app.getHttpServer())
      .post('/demo/token')
      .send({ sub: 'demo-user' });
    expect(minted.status).toBe(200);

    expect((await inbox(minted.body.token)).status).toBe(200);
    const socket = await connectSocket(signal.baseUrl, { token: minted.body.token });
    sockets.push(socket);
    expect(await roomsOf(socket)).toContain('signal/notification-center/user/demo-user');
  });
});
