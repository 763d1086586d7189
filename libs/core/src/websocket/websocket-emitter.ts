import { Emitter } from '@socket.io/redis-emitter';
import { assertValidRoomName, assertValidTopic } from './emit-target';

/** Anything `@socket.io/redis-emitter` accepts: an `ioredis` or `redis` client. */
export type RedisEmitterClient = ConstructorParameters<typeof Emitter>[0];

/**
 * Emits into Signal's Socket.IO clients from any Node service, through the Redis that the
 * Signal instances share (the Socket.IO Redis adapter's channels). No HTTP hop, no Signal import.
 *
 * @example
 * const emitter = new WebSocketEmitter(new Redis(process.env.REDIS_URL));
 * emitter.toRoom(NotificationWebSocketRooms.recipient(userId), 'my/topic', { hello: 1 });
 */
export class WebSocketEmitter {
  private readonly emitter: Emitter;

  /**
   * @param redisClient a connected client; the caller owns its lifecycle.
   * @param key the adapter's Redis key prefix; default `socket.io`, as Signal uses.
   */
  constructor(redisClient: RedisEmitterClient, key = 'socket.io') {
    this.emitter = new Emitter(redisClient, { key });
  }

  /** To one connection, by its Socket.IO id. */
  toClient(clientId: string, topic: string, payload: object): void {
    assertValidRoomName(clientId);
    assertValidTopic(topic);
    this.emitter.to(clientId).emit(topic, payload);
  }

  /** To every connection in a room, on every Signal instance. */
  toRoom(room: string, topic: string, payload: object): void {
    assertValidRoomName(room);
    assertValidTopic(topic);
    this.emitter.to(room).emit(topic, payload);
  }

  /** To every connection on every Signal instance. */
  broadcast(topic: string, payload: object): void {
    assertValidTopic(topic);
    this.emitter.emit(topic, payload);
  }
}
