import { NotificationCenterRecordPayload, NotificationWebSocketTopics } from '@signal/core';
import { io, Socket } from 'socket.io-client';
import { userToken } from './tokens';
import { waitFor } from './wait-for';

export type ConnectError = Error & { data?: { code: string } };

/**
 * Connects over WebSocket and resolves once connected, or rejects with the server's connect_error.
 * Listeners for what the server sends right at connection (a replay) belong in `beforeConnect`:
 * attached after `connect`, they can miss events that arrived with it.
 */
export async function connectSocket(
  baseUrl: string,
  auth: Record<string, unknown>,
  beforeConnect: (socket: Socket) => void = () => undefined,
): Promise<Socket> {
  const socket = io(baseUrl, {
    auth,
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    autoConnect: false,
  });
  beforeConnect(socket);
  socket.connect();
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error: ConnectError) => {
      socket.close();
      reject(error);
    });
  });
  return socket;
}

/** The connect_error a handshake ends with; fails if the connection is accepted. */
export async function refusedWith(baseUrl: string, auth: Record<string, unknown>) {
  try {
    const socket = await connectSocket(baseUrl, auth);
    socket.close();
  } catch (error) {
    return error as ConnectError;
  }
  throw new Error('the connection was accepted');
}

/** Everything `socket` receives on `topic`, in order. */
export function collect<T = unknown>(socket: Socket, topic: string): T[] {
  const received: T[] = [];
  socket.on(topic, (payload: T) => received.push(payload));
  return received;
}

export async function waitForCount<T>(received: T[], count: number, what: string): Promise<T[]> {
  return waitFor(what, () => (received.length >= count ? received : undefined), {
    timeoutMs: 10_000,
  });
}

/** Gives in-flight emits a moment to arrive, so a test can assert that nothing more came. */
export function settle(ms = 300): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Connects as `user` and collects the Notification Center records pushed to them from the
 * handshake on; the socket joins `sockets` for the caller to close.
 */
export async function recordsReceivedBy(
  baseUrl: string,
  user: string,
  sockets: Socket[],
): Promise<NotificationCenterRecordPayload[]> {
  let received: NotificationCenterRecordPayload[] = [];
  const socket = await connectSocket(baseUrl, { token: userToken({ sub: user }) }, (s) => {
    received = collect(s, NotificationWebSocketTopics.NOTIFICATION_CENTER_RECORD_CREATED);
  });
  sockets.push(socket);
  return received;
}
