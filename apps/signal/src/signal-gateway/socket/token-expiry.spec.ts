import { EventEmitter } from 'node:events';
import { SessionWebSocketTopics } from '@signal/core';
import { SignalSocket } from './signal-socket';
import { disconnectWhenTokenExpires } from './token-expiry';

/** The part of a server-side socket the expiry uses: its events, emit and disconnect. */
function aSocket() {
  const events = new EventEmitter();
  const socket = {
    once: events.once.bind(events),
    emit: jest.fn(),
    disconnect: jest.fn(() => events.emit('disconnect')),
  };
  return {
    socket,
    asSocket: socket as unknown as SignalSocket,
    drop: () => events.emit('disconnect'),
  };
}

describe(disconnectWhenTokenExpires.name, () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-12-03T10:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  it('should tell the socket why, then disconnect it, when its token expires', () => {
    const { socket, asSocket } = aSocket();

    disconnectWhenTokenExpires(asSocket, new Date('2026-12-03T10:05:00Z'));
    jest.advanceTimersByTime(5 * 60_000 - 1);
    expect(socket.emit).not.toHaveBeenCalled();
    expect(socket.disconnect).not.toHaveBeenCalled();

    jest.advanceTimersByTime(1);
    expect(socket.emit).toHaveBeenCalledWith(SessionWebSocketTopics.TOKEN_EXPIRED, {
      code: 'TOKEN_EXPIRED',
      message: 'token expired at 2026-12-03T10:05:00.000Z: reconnect with a fresh token',
      expiredAt: '2026-12-03T10:05:00.000Z',
    });
    expect(socket.disconnect).toHaveBeenCalledWith(true);
  });

  it('should forget the timer of a socket that disconnected first', () => {
    const { socket, asSocket, drop } = aSocket();

    disconnectWhenTokenExpires(asSocket, new Date('2026-12-03T10:05:00Z'));
    drop();
    expect(jest.getTimerCount()).toBe(0);
    jest.advanceTimersByTime(10 * 60_000);
    expect(socket.emit).not.toHaveBeenCalled();
  });

  it('should wait out a token living longer than one timer can (about 24.8 days)', () => {
    const { socket, asSocket } = aSocket();
    const days = (n: number) => n * 24 * 3600_000;

    disconnectWhenTokenExpires(asSocket, new Date(Date.now() + days(60)));
    jest.advanceTimersByTime(days(60) - 1);
    expect(socket.disconnect).not.toHaveBeenCalled();

    jest.advanceTimersByTime(1);
    expect(socket.disconnect).toHaveBeenCalledWith(true);
  });
});
