import { LoggerService } from '@nestjs/common';
import { accepted, LoopbackProducer } from '../test/loopback-producer';
import { pushPayload } from '../test/payloads';
import {
  PhxPushErrorCode,
  PhxPushHttpException,
  PhxPushValidationException,
} from './errors/phx-push.exception';
import { PhxPushModuleOptions } from './phx-push-module-options.interface';
import { PHXPushNotificationService } from './phx-push-notification.service';

const API_KEY = 'service-spec-api-key';

/** Keeps the retry warnings, so tests can read them and the output stays quiet. */
class RecordingLogger implements LoggerService {
  readonly warnings: string[] = [];
  /** The arguments after the message of each warning. */
  readonly warningParams: unknown[][] = [];
  log(): void {}
  error(): void {}
  warn(message: string, ...params: unknown[]): void {
    this.warnings.push(message);
    this.warningParams.push(params);
  }
}

/** Runs `send`, expecting it to fail, and returns the error. */
async function failureOf(sending: Promise<unknown>): Promise<unknown> {
  return sending.then(
    (result) => {
      throw new Error(`expected send to fail, it resolved ${JSON.stringify(result)}`);
    },
    (error: unknown) => error,
  );
}

describe(PHXPushNotificationService.name, () => {
  let producer: LoopbackProducer;
  let logger: RecordingLogger;
  let sut: PHXPushNotificationService;

  function service(options: Partial<PhxPushModuleOptions> = {}) {
    return new PHXPushNotificationService({
      producerUrl: producer.url,
      apiKey: API_KEY,
      // One retry at the first backoff step (~200 ms) keeps the retry tests short.
      retries: 1,
      logger,
      ...options,
    });
  }

  beforeEach(async () => {
    producer = await LoopbackProducer.start();
    logger = new RecordingLogger();
    sut = service();
  });
  afterEach(async () => {
    sut.onModuleDestroy();
    await producer.close();
  });

  it('should POST the payload to /emit/inapp-noti with x-api-key and an idempotency key, and return the answer', async () => {
    const result = await sut.send(pushPayload());

    expect(result).toEqual(accepted());
    expect(producer.requests).toEqual([
      {
        method: 'POST',
        url: '/emit/inapp-noti',
        headers: expect.objectContaining({
          'x-api-key': API_KEY,
          'idempotency-key': expect.stringMatching(/^[0-9a-f-]{36}$/),
          'content-type': 'application/json',
        }),
        body: pushPayload(),
      },
    ]);
  });

  it.each([
    ['a string', 'OPEN_CHECK_IN_PAGE'],
    ['an array', ['OPEN_CHECK_IN_PAGE', 42]],
    ['null', null],
  ])('should send %s as pushNotiMobile.payload, as seed 004 types it `any`', async (_, payload) => {
    const sent = pushPayload({ pushNotiMobile: { ...pushPayload().pushNotiMobile!, payload } });

    await expect(sut.send(sent)).resolves.toEqual(accepted());

    expect(producer.requests[0].body).toEqual(sent);
  });

  it('should return a not-delivered answer as it is', async () => {
    const notDelivered = {
      status: 'not_delivered',
      message: 'action code HRM_CHECKIN:FACEID is not configured',
      id: 'b3c1d3f0-5a0e-4c53-8a8e-0f5e8d1b7a11',
    };
    producer.answer({ status: 200, body: notDelivered });

    await expect(sut.send(pushPayload())).resolves.toEqual(notDelivered);
  });

  it('should send the idempotency key it is given', async () => {
    await sut.send(pushPayload(), { idempotencyKey: 'fee-notice-2024-05-8652' });

    expect(producer.requests[0].headers['idempotency-key']).toBe('fee-notice-2024-05-8652');
  });

  it('should send the correlation id it is given as x-correlation-id, and none without one', async () => {
    await sut.send(pushPayload(), { correlationId: 'legacy-evt-42' });
    await sut.send(pushPayload());

    expect(producer.requests.map(({ headers }) => headers['x-correlation-id'])).toEqual([
      'legacy-evt-42',
      undefined,
    ]);
  });

  it('should refuse a correlation id Signal would not keep, before any HTTP call', async () => {
    await expect(sut.send(pushPayload(), { correlationId: 'has spaces' })).rejects.toMatchObject({
      violations: [{ field: 'options.correlationId' }],
    });
    expect(producer.requests).toHaveLength(0);
  });

  it('should fill hostname from the options when the payload has none, and keep its own otherwise', async () => {
    sut = service({ hostname: 'options.phx.vn' });

    await sut.send(pushPayload({ hostname: undefined }));
    await sut.send(pushPayload({ hostname: 'payload.phx.vn' }));

    expect(producer.requests.map(({ body }) => body)).toEqual([
      pushPayload({ hostname: 'options.phx.vn' }),
      pushPayload({ hostname: 'payload.phx.vn' }),
    ]);
  });

  it('should send no x-api-key header without the apiKey option', async () => {
    sut = service({ apiKey: undefined });

    await sut.send(pushPayload());

    expect(producer.requests[0].headers).not.toHaveProperty('x-api-key');
  });

  it('should throw every violation before any HTTP call', async () => {
    const error = await failureOf(
      sut.send(pushPayload({ action_code: 'hrm_checkin:faceid', hostname: undefined }), {
        idempotencyKey: 'has spaces',
      }),
    );

    expect(error).toBeInstanceOf(PhxPushValidationException);
    expect(error).toMatchObject({
      code: PhxPushErrorCode.INVALID_PAYLOAD,
      source: 'local',
      violations: [
        { field: 'hostname', message: 'is required' },
        { field: 'action_code', message: expect.stringContaining('UPPER_SNAKE') },
        { field: 'options.idempotencyKey', message: expect.stringContaining('printable ASCII') },
      ],
    });
    expect(producer.requests).toHaveLength(0);
    expect(producer.connections).toBe(0);
  });

  it('should accept idempotency keys up to 255 characters, as the Producer does', async () => {
    await sut.send(pushPayload(), { idempotencyKey: 'k'.repeat(255) });
    await expect(
      sut.send(pushPayload(), { idempotencyKey: 'k'.repeat(256) }),
    ).rejects.toMatchObject({
      violations: [{ field: 'options.idempotencyKey' }],
    });

    expect(producer.requests.map(({ headers }) => headers['idempotency-key'])).toEqual([
      'k'.repeat(255),
    ]);
  });

  it('should report a payload that is not an object as a violation', async () => {
    const error = await failureOf(sut.send(null as never));

    expect(error).toBeInstanceOf(PhxPushValidationException);
    expect(error).toMatchObject({ violations: [{ field: '(root)' }] });
    expect(producer.requests).toHaveLength(0);
  });

  it('should retry a 5xx with the same idempotency key and return the answer that follows', async () => {
    producer.answer({ status: 503, body: { message: 'busy' } }, { status: 202, body: accepted() });

    await expect(sut.send(pushPayload())).resolves.toEqual(accepted());

    const [first, second] = producer.requests;
    expect(producer.requests).toHaveLength(2);
    expect(second.headers['idempotency-key']).toBe(first.headers['idempotency-key']);
    expect(second.body).toEqual(first.body);
    expect(logger.warnings).toEqual([expect.stringContaining('HTTP 503')]);
    expect(logger.warningParams).toEqual([[PHXPushNotificationService.name]]);
  });

  it('should give up with PRODUCER_UNAVAILABLE when 5xx lasts through every retry', async () => {
    producer.answer({ status: 500, body: { statusCode: 500, message: 'Internal server error' } });

    const error = await failureOf(sut.send(pushPayload()));

    expect(error).toBeInstanceOf(PhxPushHttpException);
    expect(error).toMatchObject({
      code: PhxPushErrorCode.PRODUCER_UNAVAILABLE,
      status: 500,
      producerMessage: 'Internal server error',
      message: 'the Producer answered 500 after 2 attempt(s): Internal server error',
    });
    expect(producer.requests).toHaveLength(2);
  });

  it('should throw PRODUCER_UNAVAILABLE after retrying a refused connection', async () => {
    await producer.close();
    sut = service({ retries: 2 });

    const error = await failureOf(sut.send(pushPayload()));

    expect(error).toBeInstanceOf(PhxPushHttpException);
    expect(error).toMatchObject({
      code: PhxPushErrorCode.PRODUCER_UNAVAILABLE,
      status: null,
      message: 'the Producer could not be reached after 3 attempt(s): ECONNREFUSED',
    });
    expect(logger.warnings).toEqual([
      expect.stringContaining('ECONNREFUSED'),
      expect.stringContaining('ECONNREFUSED'),
    ]);
  });

  it('should retry a timeout, then throw PRODUCER_UNAVAILABLE', async () => {
    producer.answer(null);
    sut = service({ timeoutMs: 100 });

    const error = await failureOf(sut.send(pushPayload()));

    expect(error).toMatchObject({
      code: PhxPushErrorCode.PRODUCER_UNAVAILABLE,
      status: null,
      message: 'the Producer could not be reached after 2 attempt(s): ETIMEDOUT',
    });
    expect(producer.requests).toHaveLength(2);
  });

  it("should turn a 400 with violations into a PhxPushValidationException carrying the Producer's violations", async () => {
    const violations = [
      { field: 'user_id', message: 'is not a known user' },
      { field: 'pushNotiMobile.app', message: 'is not a registered app' },
    ];
    producer.answer({
      status: 400,
      body: {
        statusCode: 400,
        error: 'INVALID_INPUT',
        message: violations.map(({ field, message }) => `${field} ${message}`),
        violations,
      },
    });

    const error = await failureOf(sut.send(pushPayload()));

    expect(error).toBeInstanceOf(PhxPushValidationException);
    expect(error).toMatchObject({
      code: PhxPushErrorCode.INVALID_PAYLOAD,
      source: 'producer',
      violations,
    });
    expect(producer.requests).toHaveLength(1);
  });

  it('should throw UNAUTHORIZED on 401, keeping the status and the message, without retrying or echoing the key', async () => {
    producer.answer({
      status: 401,
      body: { statusCode: 401, error: 'UNAUTHORIZED', message: 'invalid x-api-key' },
    });

    const error = await failureOf(sut.send(pushPayload()));

    expect(error).toBeInstanceOf(PhxPushHttpException);
    expect(error).toMatchObject({
      code: PhxPushErrorCode.UNAUTHORIZED,
      status: 401,
      producerMessage: 'invalid x-api-key',
      message: 'the Producer answered 401: invalid x-api-key',
    });
    expect(producer.requests).toHaveLength(1);
    expect(JSON.stringify(error)).not.toContain(API_KEY);
  });

  it.each([409, 422])(
    "should throw REJECTED on %i, keeping the status and the Producer's message",
    async (status) => {
      producer.answer({
        status,
        body: { statusCode: status, message: ['idempotency key reused', 'with another payload'] },
      });

      const error = await failureOf(sut.send(pushPayload()));

      expect(error).toBeInstanceOf(PhxPushHttpException);
      expect(error).toMatchObject({
        code: PhxPushErrorCode.REJECTED,
        status,
        producerMessage: 'idempotency key reused; with another payload',
      });
      expect(producer.requests).toHaveLength(1);
    },
  );

  it('should keep the start of a non-JSON error page as the message', async () => {
    producer.answer({ status: 404, body: '<html><body>Not Found</body></html>' });

    await expect(sut.send(pushPayload())).rejects.toMatchObject({
      code: PhxPushErrorCode.REJECTED,
      status: 404,
      producerMessage: '<html><body>Not Found</body></html>',
    });
  });

  it('should refuse a 2xx that is not a Producer answer', async () => {
    producer.answer({ status: 200, body: { ok: true } });

    await expect(sut.send(pushPayload())).rejects.toMatchObject({
      code: PhxPushErrorCode.PRODUCER_UNAVAILABLE,
      status: 200,
    });
  });

  it('should reuse one kept-alive connection across sends', async () => {
    for (let sent = 0; sent < 3; sent += 1) await sut.send(pushPayload());

    expect(producer.requests).toHaveLength(3);
    expect(producer.connections).toBe(1);
  });
});
