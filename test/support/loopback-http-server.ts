import {
  createServer,
  IncomingHttpHeaders,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { AddressInfo } from 'node:net';

/** One request the server received, body kept as received. */
export interface RecordedRequest {
  method: string;
  /** Path and query, e.g. `/v1/projects/p/messages:send`. */
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** The body parsed as JSON; throws when it is not JSON. */
  json<T = unknown>(): T;
}

/**
 * An HTTP answer (JSON body unless a string), given `afterMs` late (a slow provider) or once
 * `until` resolves (a test holding the answer back while it acts), or `drop`: close the
 * connection without answering.
 */
export type LoopbackAnswer =
  | {
      status: number;
      body?: unknown;
      headers?: Record<string, string>;
      afterMs?: number;
      until?: Promise<unknown>;
    }
  | { drop: true };

export type LoopbackResponder = (request: RecordedRequest) => LoopbackAnswer;

/**
 * A real HTTP server on 127.0.0.1 (random port) standing in for an external API: records every
 * request and answers each one as the test's responder says.
 */
export class LoopbackHttpServer {
  readonly requests: RecordedRequest[] = [];
  private responder: LoopbackResponder = () => ({ status: 200, body: {} });

  private readonly server: Server = createServer((req, res) => this.handle(req, res));

  private constructor() {}

  static async start(responder?: LoopbackResponder): Promise<LoopbackHttpServer> {
    const instance = new LoopbackHttpServer();
    if (responder) instance.respondWith(responder);
    const { server } = instance;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return instance;
  }

  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  respondWith(responder: LoopbackResponder): void {
    this.responder = responder;
  }

  requestsTo(path: string): RecordedRequest[] {
    return this.requests.filter((request) => request.path === path);
  }

  async close(): Promise<void> {
    // Clients keep connections alive; close them rather than wait for their idle timeout.
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      this.server.close((error) => (error ? reject(error) : resolve())),
    );
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const request: RecordedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        rawBody,
        json: <T>() => JSON.parse(rawBody) as T,
      };
      this.requests.push(request);
      let answer: LoopbackAnswer;
      try {
        answer = this.responder(request);
      } catch (error) {
        answer = { status: 500, body: { error: `test responder threw: ${String(error)}` } };
      }
      if ('drop' in answer) {
        req.socket.destroy();
        return;
      }
      if (answer.until) void answer.until.then(() => this.answer(res, answer));
      else if (answer.afterMs) setTimeout(() => this.answer(res, answer), answer.afterMs);
      else this.answer(res, answer);
    });
  }

  private answer(res: ServerResponse, answer: Exclude<LoopbackAnswer, { drop: true }>): void {
    const body =
      answer.body === undefined
        ? ''
        : typeof answer.body === 'string'
          ? answer.body
          : JSON.stringify(answer.body);
    res.writeHead(answer.status, {
      ...(typeof answer.body === 'object' && { 'content-type': 'application/json' }),
      ...answer.headers,
    });
    res.end(body);
  }
}
