/**
 * The far ends of bench:phx-floor's channels, in a process of their own so that their CPU is not
 * the measured side's: a push webhook that answers 200 `{}`, an SMTP server that swallows every
 * message, and one Socket.IO client per user joined to that user's room. Driven over IPC
 * (`SinkRequest`), answering `SinkReply`; started by floor.bench.ts with `fork`.
 */
import { io, Socket } from 'socket.io-client';
import { ChannelCounts, startChannelSinks } from './channel-sinks';

export type SinkRequest =
  | { kind: 'connect'; url: string; users: string[]; event: string }
  | { kind: 'counts' }
  | { kind: 'close' };

export interface SinkCounts extends ChannelCounts {
  events: number;
}

export type SinkReply =
  | { kind: 'ready'; webhookUrl: string; smtpUrl: string }
  | { kind: 'connected' }
  | { kind: 'counts'; counts: SinkCounts };

const counts: SinkCounts = { pushes: 0, emails: 0, events: 0 };
const sockets: Socket[] = [];
const reply = (message: SinkReply) => process.send?.(message);

async function main(): Promise<void> {
  const channels = await startChannelSinks(counts);
  process.on('message', (request: SinkRequest) => {
    if (request.kind === 'counts') reply({ kind: 'counts', counts: { ...counts } });
    else if (request.kind === 'connect')
      void connect(request).then(() => reply({ kind: 'connected' }));
    else {
      for (const socket of sockets) socket.close();
      void channels.close().then(() => process.exit(0));
    }
  });
  reply({ kind: 'ready', webhookUrl: channels.webhookUrl, smtpUrl: channels.smtpUrl });
}

async function connect({ url, users, event }: Extract<SinkRequest, { kind: 'connect' }>) {
  for (const user of users) {
    const socket = io(url, { transports: ['websocket'], reconnection: false, query: { user } });
    socket.on(event, () => counts.events++);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    sockets.push(socket);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
