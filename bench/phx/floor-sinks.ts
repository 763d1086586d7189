/**
 * The far ends of bench:phx-floor's channels, in a process of their own so that their CPU is not
 * the measured side's: a push webhook that answers 200 `{}`, an SMTP server that swallows every
 * message, and one Socket.IO client per user joined to that user's room. Driven over IPC
 * (`SinkRequest`), answering `SinkReply`; started by floor.bench.ts with `fork`.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import { AddressInfo, Server } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { io, Socket } from 'socket.io-client';

export type SinkRequest =
  | { kind: 'connect'; url: string; users: string[]; event: string }
  | { kind: 'counts' }
  | { kind: 'close' };

export interface SinkCounts {
  pushes: number;
  emails: number;
  events: number;
}

export type SinkReply =
  | { kind: 'ready'; webhookUrl: string; smtpUrl: string }
  | { kind: 'connected' }
  | { kind: 'counts'; counts: SinkCounts };

const counts: SinkCounts = { pushes: 0, emails: 0, events: 0 };
const sockets: Socket[] = [];
const reply = (message: SinkReply) => process.send?.(message);

const portOf = (server: Server) => (server.address() as AddressInfo).port;

async function main(): Promise<void> {
  const webhook = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      counts.pushes++;
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  webhook.listen(0, '127.0.0.1');
  await once(webhook, 'listening');
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      stream.resume();
      stream.on('end', () => {
        counts.emails++;
        callback();
      });
    },
  });
  // A pooled client drops its connections at the end: not the bench's business.
  smtp.on('error', () => undefined);
  smtp.listen(0, '127.0.0.1');
  await once(smtp.server, 'listening');

  process.on('message', (request: SinkRequest) => {
    if (request.kind === 'counts') reply({ kind: 'counts', counts: { ...counts } });
    else if (request.kind === 'connect')
      void connect(request).then(() => reply({ kind: 'connected' }));
    else {
      for (const socket of sockets) socket.close();
      webhook.close();
      smtp.close(() => process.exit(0));
    }
  });
  reply({
    kind: 'ready',
    webhookUrl: `http://127.0.0.1:${portOf(webhook)}/push`,
    smtpUrl: `smtp://127.0.0.1:${portOf(smtp.server)}`,
  });
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
