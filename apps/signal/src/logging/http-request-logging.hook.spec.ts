import { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import Fastify, { FastifyInstance } from 'fastify';
import pino from 'pino';
import { logHttpRequests } from './http-request-logging.hook';
import { correlationIdOfRequest, signalPinoOptions } from './signal-logger.options';

type Line = Record<string, unknown>;

/** Log lines as they are written, and a way to wait for one. */
function logSink() {
  const lines: Line[] = [];
  const waiting: { match: (line: Line) => boolean; resolve: (line: Line) => void }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const line = JSON.parse(chunk.toString()) as Line;
      lines.push(line);
      for (const waiter of waiting.filter(({ match }) => match(line))) waiter.resolve(line);
      done();
    },
  });
  const lineWhere = (match: (line: Line) => boolean) =>
    new Promise<Line>((resolve) => {
      const found = lines.find(match);
      if (found) resolve(found);
      else waiting.push({ match, resolve });
    });
  return { lines, stream, lineWhere };
}

describe(logHttpRequests.name, () => {
  const sink = logSink();
  let sut: FastifyInstance;
  let url: string;

  beforeAll(async () => {
    const logger = pino(signalPinoOptions('log'), sink.stream);
    sut = Fastify({ genReqId: correlationIdOfRequest });
    logHttpRequests(sut, logger);
    sut.get('/status/:code', async (request, reply) => {
      await Promise.resolve();
      logger.info('answering');
      return reply.code(Number((request.params as { code: string }).code)).send({});
    });
    sut.get('/health/live', () => ({}));
    await sut.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(sut.server.address() as AddressInfo).port}`;
  });

  afterAll(() => sut.close());

  async function call(path: string, headers: Record<string, string> = {}) {
    const response = await fetch(`${url}${path}`, { headers });
    await response.text();
    const correlationId = response.headers.get('x-correlation-id') ?? '';
    const access = await sink.lineWhere(
      (line) => line.correlationId === correlationId && line.res !== undefined,
    );
    return { correlationId, access };
  }

  it('should log a completed request with its correlation id, its credentials redacted and addresses masked', async () => {
    const { correlationId, access } = await call('/status/202?to=jane@example.com', {
      'x-correlation-id': 'it-access-1',
      'x-api-key': 'secret-key',
    });

    expect(correlationId).toBe('it-access-1');
    expect(access).toMatchObject({
      level: 'info',
      msg: 'request completed',
      req: {
        method: 'GET',
        url: '/status/202?to=***@example.com',
        headers: { 'x-api-key': '[redacted]' },
      },
      res: { statusCode: 202 },
      responseTime: expect.any(Number) as number,
    });
  });

  it('should name the request in the lines written while it is answered', async () => {
    const { correlationId } = await call('/status/200');
    const answering = await sink.lineWhere(
      (line) => line.msg === 'answering' && line.correlationId === correlationId,
    );

    expect(correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(answering).toMatchObject({ req: { method: 'GET', url: '/status/200' } });
  });

  it('should log a 503 as a warning without a made-up error, so an outage does not flood the log with stacks', async () => {
    const { access } = await call('/status/503');

    expect(access).toMatchObject({ level: 'warn', msg: 'request refused for now (503)' });
    expect(access).not.toHaveProperty('err');
  });

  it('should log any other 5xx as an error with its error, and a 4xx as a warning', async () => {
    expect((await call('/status/500')).access).toMatchObject({
      level: 'error',
      msg: 'request errored',
      err: { message: 'failed with status code 500' },
    });
    expect((await call('/status/404')).access).toMatchObject({
      level: 'warn',
      msg: 'request completed',
    });
  });

  it('should leave probes out of the access log', async () => {
    const probe = await fetch(`${url}/health/live`);
    await probe.text();
    const after = await call('/status/200');

    expect(probe.headers.get('x-correlation-id')).toEqual(expect.any(String));
    expect(after.access).toBeDefined();
    expect(
      sink.lines.filter((line) => (line.req as { url?: string })?.url === '/health/live'),
    ).toEqual([]);
  });
});
