import { ArgumentsHost, BadRequestException, HttpException, Logger } from '@nestjs/common';
import { isObservable, lastValueFrom } from 'rxjs';
import { SignalErrorCode, SignalException } from './signal.exception';
import { SignalExceptionFilter } from './signal-exception.filter';

/** An HTTP host whose reply records what was sent. */
function httpHost(routeOptions: object = {}) {
  const sent: { status?: number; headers: Record<string, string>; body?: unknown } = {
    headers: {},
  };
  const reply = {
    sent: false,
    status(code: number) {
      sent.status = code;
      return reply;
    },
    header(name: string, value: string) {
      sent.headers[name] = value;
      return reply;
    },
    send(body: unknown) {
      sent.body = body;
      return reply;
    },
  };
  const request = { method: 'POST', url: '/emit/inapp-noti', routeOptions };
  const host = {
    getType: () => 'http',
    switchToHttp: () => ({ getResponse: () => reply, getRequest: () => request }),
  } as unknown as ArgumentsHost;
  return { host, sent };
}

describe(SignalExceptionFilter.name, () => {
  const sut = new SignalExceptionFilter();

  it('should answer a domain exception by its code', () => {
    const { host, sent } = httpHost();
    sut.catch(new SignalException(SignalErrorCode.NOT_FOUND, 'client c-1 is not connected'), host);

    expect(sent).toEqual({
      status: 404,
      headers: {},
      body: { statusCode: 404, error: 'NOT_FOUND', message: 'client c-1 is not connected' },
    });
  });

  it.each([
    [{ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:5432' }],
    [new Error('timeout exceeded when trying to connect')],
    [
      {
        message: 'Query failed',
        driverError: { code: '57P01', message: 'terminating connection' },
      },
    ],
  ])('should answer a database that cannot be reached (%j) with 503 and Retry-After', (error) => {
    const { host, sent } = httpHost();
    sut.catch(error, host);

    expect(sent).toEqual({
      status: 503,
      headers: { 'retry-after': '5' },
      body: {
        statusCode: 503,
        error: 'DEPENDENCY_UNAVAILABLE',
        message: 'postgresql unavailable, retry later',
      },
    });
  });

  it('should answer a value PostgreSQL refused with 400 quoting its reason', () => {
    const { host, sent } = httpHost();
    sut.catch({ code: '22P02', message: 'invalid input syntax for type json' }, host);

    expect(sent.status).toBe(400);
    expect(sent.body).toEqual({
      statusCode: 400,
      error: 'INVALID_INPUT',
      message: 'PostgreSQL cannot store this request: invalid input syntax for type json',
    });
  });

  it("should answer Fastify's 413 with the route's limit", () => {
    const { host, sent } = httpHost({ bodyLimit: 2048, url: '/emit/inapp-noti' });
    sut.catch(new HttpException('Request body is too large', 413), host);

    expect(sent.body).toEqual({
      statusCode: 413,
      error: 'PAYLOAD_TOO_LARGE',
      message: 'the request body is larger than 2048 bytes, the limit of POST /emit/inapp-noti',
    });
  });

  it("should pass Nest's own rejections through as they are", () => {
    const { host, sent } = httpHost();
    sut.catch(
      new BadRequestException({ statusCode: 400, message: ['limit must be a number'] }),
      host,
    );

    expect(sent).toEqual({
      status: 400,
      headers: {},
      body: { statusCode: 400, message: ['limit must be a number'] },
    });
  });

  it('should answer anything else with a generic 500 whose error id is logged with the cause', () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const { host, sent } = httpHost();
    const bug = new TypeError("Cannot read properties of undefined (reading 'id')");

    sut.catch(bug, host);

    const { errorId } = sent.body as { errorId: string };
    expect(sent).toEqual({
      status: 500,
      headers: {},
      body: {
        statusCode: 500,
        error: 'INTERNAL_ERROR',
        message: `Internal server error (error id ${errorId})`,
        errorId: expect.stringMatching(/^[0-9a-f-]{36}$/) as string,
      },
    });
    expect(logged).toHaveBeenCalledWith(
      { errorId, err: bug },
      `POST /emit/inapp-noti failed; answered 500 with error id ${errorId}`,
    );
    logged.mockRestore();
  });

  it("should leave microservice handlers' errors to Nest's RPC filter", async () => {
    const host = { getType: () => 'rpc' } as unknown as ArgumentsHost;
    const answer: unknown = sut.catch(new Error('handler failed'), host);

    expect(isObservable(answer)).toBe(true);
    await expect(lastValueFrom(answer as never)).rejects.toEqual({
      status: 'error',
      message: 'Internal server error',
    });
  });
});
