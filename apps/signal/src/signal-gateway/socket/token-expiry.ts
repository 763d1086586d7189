import { SessionWebSocketTopics } from '@signal/core';
import { SignalSocket } from './signal-socket';

/** Node fires a longer timeout at once (TimeoutOverflowWarning): long-lived tokens re-arm. */
const LONGEST_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * Tells the socket why and disconnects it when its token expires, so it keeps no room past its
 * token's life; the timer goes with the socket.
 */
export function disconnectWhenTokenExpires(socket: SignalSocket, expiresAt: Date): void {
  let timer: NodeJS.Timeout | undefined;
  const check = () => {
    const left = expiresAt.getTime() - Date.now();
    if (left > 0) {
      timer = setTimeout(check, Math.min(left, LONGEST_TIMEOUT_MS)).unref();
      return;
    }
    const expiredAt = expiresAt.toISOString();
    socket.emit(SessionWebSocketTopics.TOKEN_EXPIRED, {
      code: 'TOKEN_EXPIRED',
      message: `token expired at ${expiredAt}: reconnect with a fresh token`,
      expiredAt,
    });
    socket.disconnect(true);
  };
  socket.once('disconnect', () => clearTimeout(timer));
  check();
}
