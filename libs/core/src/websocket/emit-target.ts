/** Limits on what callers may emit to; shared by the REST endpoints and `WebSocketEmitter`. */
export const EMIT_TOPIC_MAX_LENGTH = 200;
export const ROOM_NAME_MAX_LENGTH = 300;

/**
 * Event names Socket.IO keeps for its own lifecycle: its server, `@socket.io/redis-emitter` and
 * the client library refuse to emit them or treat them as their own events.
 */
export const RESERVED_SOCKET_EVENT_NAMES: ReadonlySet<string> = new Set([
  'connect',
  'connect_error',
  'disconnect',
  'disconnecting',
  'newListener',
  'removeListener',
]);

export class InvalidEmitTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = InvalidEmitTargetError.name;
  }
}

/** A topic is a non-empty event name without whitespace, at most 200 characters, not reserved. */
export function assertValidTopic(topic: unknown): asserts topic is string {
  if (typeof topic !== 'string' || topic.length === 0) {
    throw new InvalidEmitTargetError('topic must be a non-empty string');
  }
  if (topic.length > EMIT_TOPIC_MAX_LENGTH) {
    throw new InvalidEmitTargetError(`topic must be at most ${EMIT_TOPIC_MAX_LENGTH} characters`);
  }
  if (/\s/.test(topic)) throw new InvalidEmitTargetError('topic must not contain whitespace');
  if (RESERVED_SOCKET_EVENT_NAMES.has(topic)) {
    throw new InvalidEmitTargetError(
      `topic "${topic}" is reserved by Socket.IO (reserved: ${[...RESERVED_SOCKET_EVENT_NAMES].join(', ')})`,
    );
  }
}

/** A room is `/`-joined non-empty segments without whitespace, as `WebSocketRooms.build` makes. */
export function assertValidRoomName(room: unknown): asserts room is string {
  if (typeof room !== 'string' || room.length === 0) {
    throw new InvalidEmitTargetError('room name must be a non-empty string');
  }
  if (room.length > ROOM_NAME_MAX_LENGTH) {
    throw new InvalidEmitTargetError(
      `room name must be at most ${ROOM_NAME_MAX_LENGTH} characters`,
    );
  }
  const emptySegment = room.startsWith('/') || room.endsWith('/') || room.includes('//');
  if (emptySegment || /\s/.test(room)) {
    throw new InvalidEmitTargetError(
      'room name must be non-empty segments joined by "/", without whitespace',
    );
  }
}
