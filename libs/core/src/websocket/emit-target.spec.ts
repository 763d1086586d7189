import { assertValidRoomName, assertValidTopic, InvalidEmitTargetError } from './emit-target';

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
