import { once } from 'node:events';
import { createServer } from 'node:http';
import { AddressInfo, Server } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** What the sinks received so far. */
export interface ChannelCounts {
  pushes: number;
  emails: number;
}

/**
 * Stand-ins for the outside world of the PHX channels on loopback, in this process: a push
 * webhook that answers 200 `{}` and an SMTP server that swallows every message, both counting.
 */
export async function startChannelSinks(counts: ChannelCounts) {
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
  // Connections a pooled client drops at teardown are not the bench's business.
  smtp.on('error', () => undefined);
  smtp.listen(0, '127.0.0.1');
  await once(smtp.server, 'listening');
  const portOf = (server: Server) => (server.address() as AddressInfo).port;
  return {
    webhookUrl: `http://127.0.0.1:${portOf(webhook)}/push`,
    smtpUrl: `smtp://127.0.0.1:${portOf(smtp.server)}`,
    close: async () => {
      await new Promise((resolve) => webhook.close(resolve));
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    },
  };
}
