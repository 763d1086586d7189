import { Server } from 'socket.io';

/** The parts of engine.io's WebSocket transport this reaches into (ws keeps its TCP socket private). */
interface EngineTransport {
  name: string;
  send(packets: unknown[]): void;
  socket?: { _socket?: { cork(): void; uncork(): void } };
}

interface EngineSocket {
  transport: EngineTransport;
  on(event: 'upgrade', listener: (transport: EngineTransport) => void): void;
}

/**
 * Makes every WebSocket connection of `server` write the packets engine.io flushes together (those
 * queued while the previous write was in flight) in one system call: ws writes each frame on its
 * own. A Kafka batch pushes tens of notifications to a socket at once, and these writes were the
 * largest cost of the ingest after validation.
 */
export function coalesceWebSocketFrames(server: Server): void {
  server.engine.on('connection', (socket: EngineSocket) => {
    corkEachSend(socket.transport);
    socket.on('upgrade', corkEachSend);
  });
}

function corkEachSend(transport: EngineTransport): void {
  const tcp = transport.socket?._socket;
  if (transport.name !== 'websocket' || tcp === undefined) return;
  const send = transport.send.bind(transport);
  transport.send = (packets) => {
    tcp.cork();
    try {
      send(packets);
    } finally {
      tcp.uncork();
    }
  };
}
