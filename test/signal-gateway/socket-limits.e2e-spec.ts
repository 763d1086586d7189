import { io, Socket } from 'socket.io-client';
import type { TestSchema } from '@signal/persistence/testing/test-schema';
import { SOCKET_MAX_PACKET_BYTES } from '../../apps/signal/src/signal-gateway/socket/signal.gateway';
import { createTestSchema, SignalTestApp, startSignalTestApp } from '../support/signal-test-app';
import { connectSocket, settle } from '../support/socket-client';
import { userToken } from '../support/tokens';

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
