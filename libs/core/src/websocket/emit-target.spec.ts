import { dirname, join } from 'node:path';
import { RESERVED_EVENTS as EMITTER_RESERVED_EVENTS } from '@socket.io/redis-emitter';
import {
  assertValidRoomName,
  assertValidTopic,
  InvalidEmitTargetError,
  RESERVED_SOCKET_EVENT_NAMES,
} from './emit-target';

describe('emit target rules', () => {
  it.each(['observation/signal/notification/created', 'orders.updated', 'x'])(
    'should accept topic %j',
    (topic) => {
      expect(() => assertValidTopic(topic)).not.toThrow();
    },
  );

  it.each([
    ['', 'non-empty'],
    ['a'.repeat(201), 'at most 200'],
    ['has space', 'whitespace'],
    [42, 'non-empty string'],
  ])('should refuse topic %j saying %s', (topic, reason) => {
    expect(() => assertValidTopic(topic)).toThrow(InvalidEmitTargetError);
    expect(() => assertValidTopic(topic)).toThrow(reason);
  });

  it.each([
    'connect',
    'connect_error',
    'disconnect',
    'disconnecting',
    'newListener',
    'removeListener',
  ])('should refuse the reserved Socket.IO event name %j as a topic', (topic) => {
    expect(() => assertValidTopic(topic)).toThrow(InvalidEmitTargetError);
    expect(() => assertValidTopic(topic)).toThrow(`topic "${topic}" is reserved by Socket.IO`);
  });

  it('should reserve every name the Socket.IO server and the Redis emitter refuse to emit', () => {
    // Not in socket.io's package exports; read from beside its entry point.
    const { RESERVED_EVENTS: SERVER_RESERVED_EVENTS } = jest.requireActual<{
      RESERVED_EVENTS: Set<string>;
    }>(join(dirname(require.resolve('socket.io')), 'socket-types'));
    expect(SERVER_RESERVED_EVENTS.size).toBeGreaterThan(0);
    for (const name of [...SERVER_RESERVED_EVENTS, ...EMITTER_RESERVED_EVENTS]) {
      expect(RESERVED_SOCKET_EVENT_NAMES).toContain(name);
    }
  });

  it.each(['signal/notification/u-1', 'lobby', 'AbC123_-'])('should accept room %j', (room) => {
    expect(() => assertValidRoomName(room)).not.toThrow();
  });

  it.each([
    ['', 'non-empty'],
    ['/leading', 'segments'],
    ['trailing/', 'segments'],
    ['a//b', 'segments'],
    ['a b', 'whitespace'],
    ['r'.repeat(301), 'at most 300'],
  ])('should refuse room %j saying %s', (room, reason) => {
    expect(() => assertValidRoomName(room)).toThrow(reason);
  });
});
