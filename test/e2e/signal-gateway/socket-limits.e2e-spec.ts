import { io, Socket } from 'socket.io-client';
import request from 'supertest';
import WebSocket from 'ws';
import type { TestSchema } from '@signal/persistence/testing/test-schema';
import {
  SignalGateway,
  SOCKET_MAX_PACKET_BYTES,
} from '../../../apps/signal/src/signal-gateway/socket/signal.gateway';
import { createTestSchema, SignalTestApp, startSignalTestApp } from '../../support/signal-test-app';
import {
  collect,
  connectSocket,
  refusedWith,
  settle,
  waitForCount,
} from '../../support/socket-client';
import { TEST_API_KEY, userToken } from '../../support/tokens';
import { waitFor } from '../../support/wait-for';

/** How a connection attempt ended: connected, refused by the server, or cut by the transport. */
function attempt(baseUrl: string, auth: Record<string, unknown>) {
  const socket = io(baseUrl, {
    auth,
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  const outcome = new Promise<string>((resolve) => {
    socket.once('connect', () => resolve('connected'));
    socket.once('connect_error', (error) => resolve(`connect_error: ${error.message}`));
    socket.io.once('close', (reason) => resolve(`closed: ${reason}`));
  });
  return outcome.finally(() => socket.close());
}

describe('Socket.IO limits: clients send nothing but the handshake (real app)', () => {
  let db: TestSchema;
  let signal: SignalTestApp;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    db = await createTestSchema('socket-limits');
    signal = await startSignalTestApp(db);
  });

  afterEach(() => sockets.splice(0).forEach((socket) => socket.close()));

  afterAll(async () => {
    await signal.close();
    await db.drop();
  });

  const connect = async () => {
    const socket = await connectSocket(signal.baseUrl, { token: userToken({ sub: 'u-limits' }) });
    sockets.push(socket);
    return socket;
  };

  it('should keep a connection that sends a packet under the limit', async () => {
    const socket = await connect();

    socket.emit('chatter', 'x'.repeat(SOCKET_MAX_PACKET_BYTES / 2));
    await settle();

    expect(socket.connected).toBe(true);
  });

  it('should close a connection that sends a packet over the limit', async () => {
    const socket = await connect();
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve));

    socket.emit('chatter', 'x'.repeat(SOCKET_MAX_PACKET_BYTES + 1024));

    expect(await disconnected).toBe('transport close');
  });

  it('should accept a handshake with a large but realistic token (100 merchant ids)', async () => {
    const merchantIds = Array.from({ length: 100 }, (_, i) => `merchant-${i}-0123456789`);
    const token = userToken({ sub: 'u-limits', organizerId: 'org-limits', merchantIds });

    expect(await attempt(signal.baseUrl, { token, correlationId: 'c'.repeat(36) })).toBe(
      'connected',
    );
  });

  it('should not let an oversized handshake through', async () => {
    const token = userToken({ sub: 'u-limits' });

    const outcome = await attempt(signal.baseUrl, {
      token,
      padding: 'x'.repeat(SOCKET_MAX_PACKET_BYTES + 1024),
    });

    expect(outcome).toBe('closed: transport close');
  });
});

describe('Socket.IO connection cap: load shedding at SIGNAL_MAX_CONNECTIONS (real app)', () => {
  const CAP = 2;
  let db: TestSchema;
  let signal: SignalTestApp;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    db = await createTestSchema('socket-cap');
    signal = await startSignalTestApp(db, { SIGNAL_MAX_CONNECTIONS: String(CAP) });
  });

  afterAll(async () => {
    sockets.forEach((socket) => socket.close());
    await signal.close();
    await db.drop();
  });

  const connect = async (sub: string) => {
    const socket = await connectSocket(signal.baseUrl, { token: userToken({ sub }) });
    sockets.push(socket);
    return socket;
  };
  const openOnServer = () => signal.app.get(SignalGateway).server.engine.clientsCount;

  it('should refuse the socket above the cap with SERVER_BUSY, keep HTTP serving, and accept again once one leaves', async () => {
    const first = await connect('u-cap-1');
    await connect('u-cap-2');

    const refused = await refusedWith(signal.baseUrl, { token: userToken({ sub: 'u-cap-3' }) });
    expect(refused.data).toEqual({ code: 'SERVER_BUSY' });
    expect(refused.message).toMatch(/server busy: .*retry later/);

    const http = request(signal.app.getHttpServer());
    expect((await http.get('/health/live')).status).toBe(200);
    const received = collect(first, 'cap/still-served');
    const emitted = await http
      .post('/socket/websocket/clients/broadcast')
      .set('x-api-key', TEST_API_KEY)
      .send({ topic: 'cap/still-served', payload: { ok: true } });
    expect(emitted.status).toBe(202);
    await waitForCount(received, 1, 'the connected socket to still be served');

    first.close();
    const again = await waitFor('a socket to be accepted after one left', async () => {
      try {
        return await connect('u-cap-3');
      } catch {
        return undefined;
      }
    });
    expect(again.connected).toBe(true);
  });

  it('should close a refused connection itself, even when its client keeps it open', async () => {
    await waitFor('the cap to be reached', async () =>
      openOnServer() >= CAP ? true : (await connect(`u-fill-${sockets.length}`), undefined),
    );

    // A bare WebSocket speaking the Engine.IO/Socket.IO protocol that never closes anything
    // (socket.io-client would close the connection itself on connect_error).
    const raw = new WebSocket(
      `${signal.baseUrl.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`,
    );
    const frames: string[] = [];
    raw.on('message', (data: Buffer) => frames.push(data.toString()));
    const closed = new Promise<void>((resolve) => raw.once('close', () => resolve()));
    await waitFor('the Engine.IO open packet', () => (frames.length > 0 ? true : undefined));
    raw.send(`40${JSON.stringify({ token: userToken({ sub: 'u-stubborn' }) })}`);
    const reply = await waitFor('the refusal', () =>
      frames.find((frame) => frame.startsWith('44')),
    );

    expect(reply).toContain('"code":"SERVER_BUSY"');
    // Long before Engine.IO's heartbeat (45 s) or Socket.IO's connect timeout would close it.
    await closed;
    expect(openOnServer()).toBe(CAP);
  });
});
