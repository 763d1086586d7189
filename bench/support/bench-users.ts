import { JwtService } from '@nestjs/jwt';
import { io, Socket } from 'socket.io-client';

/**
 * One authenticated WebSocket per user `bench-user-{i}`, i < `count`, each given to `listen`
 * before it connects so nothing sent at connection is missed. Resolves once all are connected.
 */
export async function connectBenchUsers(
  url: string,
  secret: string,
  count: number,
  listen: (socket: Socket) => void,
): Promise<{ close: () => void }> {
  const jwt = new JwtService({});
  const sockets: Socket[] = [];
  for (let i = 0; i < count; i++) {
    const socket = io(url, {
      transports: ['websocket'],
      reconnection: false,
      // Signal refuses tokens without exp; longer than any bench run.
      auth: { token: jwt.sign({ sub: `bench-user-${i}` }, { secret, expiresIn: '6h' }) },
    });
    listen(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    sockets.push(socket);
  }
  return { close: () => sockets.forEach((socket) => socket.close()) };
}

/** Polls `done` every 50 ms; fails after `timeoutMs` naming `what`. */
export async function waitUntil(
  what: string,
  done: () => boolean | Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
