import { EventEmitter } from 'node:events';
import { Server } from 'socket.io';
import { coalesceWebSocketFrames } from './coalesced-frames';

/** A transport that records its TCP socket's corks and the packets it sends. */
function aTransport(name: string, log: string[]) {
  return {
    name,
    send: (packets: unknown[]) => log.push(`send ${packets.length}`),
    socket: { _socket: { cork: () => log.push('cork'), uncork: () => log.push('uncork') } },
  };
}

describe(coalesceWebSocketFrames.name, () => {
  const engine = new EventEmitter();
  coalesceWebSocketFrames({ engine } as unknown as Server);

  it("should send each flush's packets with the TCP socket corked", () => {
    const log: string[] = [];
    const transport = aTransport('websocket', log);
    engine.emit('connection', Object.assign(new EventEmitter(), { transport }));

    transport.send([1, 2, 3]);

    expect(log).toEqual(['cork', 'send 3', 'uncork']);
  });

  it('should cork the WebSocket a polling connection upgrades to, and leave polling alone', () => {
    const log: string[] = [];
    const polling = aTransport('polling', log);
    const socket = Object.assign(new EventEmitter(), { transport: polling });
    engine.emit('connection', socket);
    const websocket = aTransport('websocket', log);
    socket.emit('upgrade', websocket);

    polling.send([1]);
    websocket.send([1, 2]);

    expect(log).toEqual(['send 1', 'cork', 'send 2', 'uncork']);
  });
});
