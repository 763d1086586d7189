import { InvalidEmitTargetError } from './emit-target';
import { WebSocketEmitter } from './websocket-emitter';

describe(WebSocketEmitter.name, () => {
  const publish = jest.fn(() => Promise.resolve(1));
  const sut = new WebSocketEmitter({ publish });

  beforeEach(() => publish.mockClear());

  it('should publish a valid emit to the room channel of the adapter key', () => {
    sut.toRoom('signal/notification/u-1', 'orders/updated', { orderId: 'o-1' });

    expect(publish).toHaveBeenCalledWith('socket.io#/#signal/notification/u-1#', expect.anything());
  });

  it.each(['connect', 'disconnect', 'newListener'])(
    'should refuse the reserved event name %j with InvalidEmitTargetError and publish nothing',
    (topic) => {
      expect(() => sut.broadcast(topic, {})).toThrow(InvalidEmitTargetError);
      expect(() => sut.toRoom('lobby', topic, {})).toThrow(InvalidEmitTargetError);
      expect(() => sut.toClient('abc', topic, {})).toThrow(InvalidEmitTargetError);
      expect(publish).not.toHaveBeenCalled();
    },
  );
});
