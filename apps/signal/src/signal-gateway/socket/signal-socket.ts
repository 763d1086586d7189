import { SignalClientToServerEvents, SignalServerToClientEvents } from '@signal/core';
import { Server, Socket } from 'socket.io';
import type { SocketSession } from './socket-handshake.service';

/** `socket.data`: the handshake's session and the id its log lines carry (`auth.correlationId` or header). */
export type ConnectedSession = SocketSession & { correlationId: string };

/** The instances share no events of their own: the Redis adapter carries the emits. */
type InterServerEvents = Record<never, never>;

export type SignalServer = Server<
  SignalClientToServerEvents,
  SignalServerToClientEvents,
  InterServerEvents,
  ConnectedSession
>;

export type SignalSocket = Socket<
  SignalClientToServerEvents,
  SignalServerToClientEvents,
  InterServerEvents,
  ConnectedSession
>;
