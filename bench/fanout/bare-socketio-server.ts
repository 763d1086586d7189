/**
 * The reference of the fan-out benchmark: what Signal's gateway does, without Nest. Plain
 * `http` + Socket.IO on the same Redis adapter, the same HS256 handshake check and rooms, and
 * the same REST entry points (`POST .../rooms/{room}/send`, `POST .../broadcast`, 202).
 *
 * Env: PORT, REDIS_URL, SOCKET_IO_REDIS_KEY, SIGNAL_JWT_SECRET, SIGNAL_API_KEYS.
 */
import { IncomingMessage, ServerResponse, createServer } from 'node:http';
import { JwtService } from '@nestjs/jwt';
import { NotificationWebSocketRooms } from '@signal/core/websocket/rooms';
import { createAdapter } from '@socket.io/redis-adapter';
import Redis from 'ioredis';
import { Server } from 'socket.io';

const ROOM_SEND = /^\/socket\/websocket\/clients\/rooms\/([^/]+)\/send$/;
const BROADCAST = '/socket/websocket/clients/broadcast';
const MAX_BODY_BYTES = 80 * 1024;

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

const jwt = new JwtService({});
const secret = required('SIGNAL_JWT_SECRET');
const apiKeys = new Set(required('SIGNAL_API_KEYS').split(','));

interface EmitBody {
  topic: string;
  payload: Record<string, unknown>;
}

function isEmitBody(body: unknown): body is EmitBody {
  const { topic, payload } = (body ?? {}) as Partial<EmitBody>;
  return (
    typeof topic === 'string' &&
    topic.length > 0 &&
    typeof payload === 'object' &&
    payload !== null &&
    !Array.isArray(payload)
  );
}

function reply(response: ServerResponse, status: number, body: object): void {
  const json = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
  });
  response.end(json);
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new Error('body too large');
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

async function handle(io: Server, request: IncomingMessage, response: ServerResponse) {
  const path = request.url ?? '';
  if (request.method === 'GET' && path === '/health/live') return reply(response, 200, {});
  const room = ROOM_SEND.exec(path)?.[1];
  if (request.method !== 'POST' || (path !== BROADCAST && room === undefined)) {
    return reply(response, 404, { error: 'NOT_FOUND' });
  }
  const key = request.headers['x-api-key'];
  if (typeof key !== 'string' || !apiKeys.has(key)) {
    return reply(response, 401, { error: 'API_KEY_UNKNOWN' });
  }
  let body: unknown;
  try {
    body = await readJson(request);
  } catch {
    return reply(response, 400, { error: 'INVALID_INPUT' });
  }
  if (!isEmitBody(body)) return reply(response, 400, { error: 'INVALID_INPUT' });
  if (room === undefined) {
    io.emit(body.topic, body.payload);
    return reply(response, 202, { status: 'emitted', target: 'all', topic: body.topic });
  }
  const roomName = decodeURIComponent(room);
  io.to(roomName).emit(body.topic, body.payload);
  return reply(response, 202, { status: 'emitted', target: `room:${roomName}`, topic: body.topic });
}

async function main(): Promise<void> {
  const publisher = new Redis(required('REDIS_URL'), { lazyConnect: true });
  const subscriber = publisher.duplicate();
  await Promise.all([publisher.connect(), subscriber.connect()]);

  const http = createServer();
  const io = new Server(http, {
    cors: { origin: true },
    adapter: createAdapter(publisher, subscriber, { key: required('SOCKET_IO_REDIS_KEY') }),
  });
  http.on('request', (request: IncomingMessage, response: ServerResponse) => {
    handle(io, request, response).catch(() => reply(response, 500, { error: 'INTERNAL' }));
  });
  io.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown }).token;
    try {
      if (typeof token !== 'string') throw new Error('token missing');
      const claims = jwt.verify<{ sub: string }>(token, { secret, algorithms: ['HS256'] });
      socket.data = { userId: claims.sub };
      next();
    } catch (error) {
      next(error instanceof Error ? error : new Error(String(error)));
    }
  });
  io.on('connection', (socket) => {
    void socket.join(
      NotificationWebSocketRooms.recipient((socket.data as { userId: string }).userId),
    );
  });

  http.listen(Number(required('PORT')));
  process.once('SIGTERM', () => {
    void io.close().finally(() => {
      publisher.disconnect();
      subscriber.disconnect();
      process.exit(0);
    });
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
