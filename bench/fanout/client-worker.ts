/**
 * One load-generator process: opens its share of authenticated Socket.IO clients and records
 * when each phase's events arrive. Driven by the orchestrator over IPC (see protocol.ts).
 */
import { performance } from 'node:perf_hooks';
import { io, Socket } from 'socket.io-client';
import { userToken } from '../../test/support/tokens';
import {
  BenchPayload,
  benchUserId,
  ConnectDone,
  FromWorker,
  Phase,
  PHASE_TOPICS,
  PhaseCollected,
  ToWorker,
} from './protocol';

const CONNECT_TIMEOUT_MS = 20_000;
const TOKEN_LIFETIME_S = 3600;

const sockets: Socket[] = [];
let tokens: string[] = [];
/** Events of the current phase per client, indexed like the users this worker was given. */
let perClient = new Uint32Array(0);
let phase: Phase | null = null;
let latenciesMs: number[] = [];
let sentAt: number[] = [];
let received = 0;
let lastReceivedAt = 0;
let disconnects = 0;

function send(message: FromWorker, then?: () => void): void {
  process.send?.(message, undefined, undefined, then);
}

function onEvent(slot: number, topicPhase: Phase, payload: BenchPayload): void {
  if (topicPhase !== phase) return;
  const now = Date.now();
  latenciesMs.push(now - payload.sentAt);
  sentAt.push(payload.sentAt);
  received += 1;
  perClient[slot] += 1;
  lastReceivedAt = now;
}

function openClient(url: string, token: string, slot: number): Promise<number> {
  const startedAt = performance.now();
  const socket = io(url, {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: CONNECT_TIMEOUT_MS,
  });
  // Listeners go on before connecting, so nothing sent right at connection is missed.
  for (const topicPhase of Object.keys(PHASE_TOPICS) as Phase[]) {
    socket.on(PHASE_TOPICS[topicPhase], (payload: BenchPayload) =>
      onEvent(slot, topicPhase, payload),
    );
  }
  return new Promise((resolve, reject) => {
    socket.once('connect', () => {
      sockets.push(socket);
      socket.on('disconnect', () => (disconnects += 1));
      resolve(performance.now() - startedAt);
    });
    socket.once('connect_error', (error: Error) => {
      socket.close();
      reject(error);
    });
  });
}

/** Signs the tokens of users [from, to) ahead of time, so signing is not counted as connecting. */
function prepare(from: number, to: number): void {
  tokens = Array.from({ length: to - from }, (_, slot) =>
    userToken({ sub: benchUserId(from + slot) }, { expiresIn: TOKEN_LIFETIME_S }),
  );
  perClient = new Uint32Array(tokens.length);
}

/** Opens the prepared users' clients with at most `concurrency` handshakes in flight. */
async function connectAll(url: string, concurrency: number) {
  const done: ConnectDone = {
    type: 'connect-done',
    connected: 0,
    failed: 0,
    connectMs: [],
    errors: [],
  };
  const progress = setInterval(
    () => send({ type: 'progress', connected: done.connected, failed: done.failed }),
    500,
  );
  let next = 0;
  const lane = async () => {
    while (next < tokens.length) {
      const slot = next++;
      try {
        done.connectMs.push(await openClient(url, tokens[slot], slot));
        done.connected += 1;
      } catch (error) {
        done.failed += 1;
        const message = error instanceof Error ? error.message : String(error);
        if (done.errors.length < 5 && !done.errors.includes(message)) done.errors.push(message);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, tokens.length) }, lane));
  clearInterval(progress);
  send(done);
}

function collect(expectedPerClient: number): PhaseCollected {
  return {
    type: 'collected',
    received,
    latenciesMs,
    sentAt,
    lastReceivedAt,
    clientsComplete: perClient.filter((count) => count === expectedPerClient).length,
    connected: sockets.filter((socket) => socket.connected).length,
    disconnects,
  };
}

function startPhase(next: Phase): void {
  phase = next;
  latenciesMs = [];
  sentAt = [];
  received = 0;
  lastReceivedAt = 0;
  perClient.fill(0);
}

function handle(message: ToWorker): void {
  switch (message.type) {
    case 'prepare':
      prepare(message.from, message.to);
      send({ type: 'prepared' });
      return;
    case 'connect':
      void connectAll(message.url, message.concurrency);
      return;
    case 'phase':
      startPhase(message.phase);
      send({ type: 'phase-ready' });
      return;
    case 'count':
      send({ type: 'count', received });
      return;
    case 'collect':
      send(collect(message.expectedPerClient));
      return;
    case 'close':
      phase = null;
      for (const socket of sockets) socket.close();
      send({ type: 'closed' }, () => process.disconnect?.());
      return;
  }
}

process.on('message', (message) => handle(message as ToWorker));
// The orchestrator is gone (crashed or killed): do not linger with thousands of sockets.
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
