import { createServer, IncomingHttpHeaders, IncomingMessage, Server } from 'node:http';
import { AddressInfo, Socket } from 'node:net';

/** One request the loopback Producer received. */
export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** An answer the loopback Producer gives; `body` is sent as JSON unless it is a string. */
export interface CannedAnswer {
  status: number;
  body?: unknown;
}

/**
 * A real HTTP server on 127.0.0.1 standing in for the Signal Producer: it answers the queued
 * answers in order (the last one repeats; `null` never answers) and records what it received.
 */
export class LoopbackProducer {
  readonly requests: ReceivedRequest[] = [];
  /** TCP connections the server accepted, to tell keep-alive from a socket per request. */
  connections = 0;
  private answers: (CannedAnswer | null)[] = [{ status: 202, body: accepted() }];
  private readonly sockets = new Set<Socket>();
  private port = 0;

  private constructor(private readonly server: Server) {}

  static async start(): Promise<LoopbackProducer> {
    const server = createServer();
    const producer = new LoopbackProducer(server);
    server.on('connection', (socket: Socket) => {
      producer.connections += 1;
      producer.sockets.add(socket);
      socket.on('close', () => producer.sockets.delete(socket));
    });
    server.on('request', (request: IncomingMessage, response) => {
      void producer.record(request).then((answer) => {
        if (answer === null) return;
        const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
        response.writeHead(answer.status, {
          'content-type': typeof answer.body === 'string' ? 'text/html' : 'application/json',
        });
        response.end(text);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    producer.port = (server.address() as AddressInfo).port;
    return producer;
  }

  /** Base URL, kept after `close` so tests can aim at a port nothing listens on. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Answers these from now on, in order; the last one repeats. */
  answer(...answers: (CannedAnswer | null)[]): void {
    this.answers = answers;
  }

  async close(): Promise<void> {
    if (!this.server.listening) return;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve, reject) =>
      this.server.close((error) => (error ? reject(error) : resolve())),
    );
  }

  private async record(request: IncomingMessage): Promise<CannedAnswer | null> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    this.requests.push({
      method: request.method ?? '',
      url: request.url ?? '',
      headers: request.headers,
      body: text === '' ? undefined : JSON.parse(text),
    });
    return this.answers.length > 1 ? (this.answers.shift() ?? null) : this.answers[0];
  }
}

/** The Producer's 202 body. */
export function accepted(id = '7d0c8f5e-2c1a-4d7e-9a52-3f7f0a7c1b10') {
  return { status: 'accepted', message: 'accepted for delivery', id };
}
