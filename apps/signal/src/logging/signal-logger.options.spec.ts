import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { Options, pinoHttp } from 'pino-http';
import { signalLoggerParams } from './signal-logger.options';

/** A real HTTP server behind Signal's access-log settings, answering each request with `status`. */
async function accessLineOf(status: number): Promise<Record<string, unknown>> {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const options = signalLoggerParams({ logLevel: 'log' }).pinoHttp as Options;
  const accessLog = pinoHttp({ ...options, logger: pino({ level: 'info' }, sink) });
  const server: Server = createServer((req, res) => {
    accessLog(req, res);
    res.statusCode = status;
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    await fetch(`http://127.0.0.1:${port}/emit/inapp-noti`, { method: 'POST' });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  return JSON.parse(lines[0]) as Record<string, unknown>;
}

describe(signalLoggerParams.name, () => {
  it('should log a 503 as a warning without a made-up error, so an outage does not flood the log with stacks', async () => {
    const line = await accessLineOf(503);

    expect(line).toMatchObject({ level: 40, msg: 'request refused for now (503)' });
    expect(line).not.toHaveProperty('err');
    expect(line.correlationId).toEqual(expect.any(String));
  });

  it('should log any other 5xx as an error with its error', async () => {
    const line = await accessLineOf(500);

    expect(line).toMatchObject({ level: 50, msg: 'request errored' });
    expect(line).toHaveProperty('err');
  });
});
