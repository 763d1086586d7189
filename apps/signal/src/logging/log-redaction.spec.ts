import { Writable } from 'node:stream';
import pino from 'pino';
import { CorrelationContext } from './correlation-context';
import { maskEmails, maskEmailsInText } from './log-redaction';
import { signalPinoOptions } from './signal-logger.options';

describe(maskEmails.name, () => {
  it('should mask the local part of every address in a text and keep the rest', () => {
    expect(maskEmailsInText('550 <jane.doe+fee@example.com> and bob@mail.school.vn rejected')).toBe(
      '550 <***@example.com> and ***@mail.school.vn rejected',
    );
  });

  it('should leave text without an address alone, an @ alone included', () => {
    expect(maskEmailsInText('user @home at 10:00, id a@b')).toBe('user @home at 10:00, id a@b');
  });

  it('should mask inside nested plain objects and arrays without changing the original', () => {
    const logged = { sendEmailV3: { to: 'jane@example.com', cc: ['a.b@example.org'] }, n: 1 };
    expect(maskEmails(logged)).toEqual({
      sendEmailV3: { to: '***@example.com', cc: ['***@example.org'] },
      n: 1,
    });
    expect(logged.sendEmailV3.to).toBe('jane@example.com');
  });

  it('should turn an error into its printed shape with the address masked', () => {
    const error = new TypeError('no mailbox jane@example.com');
    expect(maskEmails(error)).toEqual({
      type: 'TypeError',
      message: 'no mailbox ***@example.com',
      stack: expect.stringContaining('TypeError: no mailbox ***@example.com') as string,
    });
  });

  it('should return objects that are not plain data as they are', () => {
    const date = new Date(0);
    const buffer = Buffer.from('jane@example.com');
    expect(maskEmails({ date, buffer })).toEqual({ date, buffer });
  });
});

describe(signalPinoOptions.name, () => {
  function capture(): { lines: Record<string, unknown>[]; logger: pino.Logger } {
    const lines: Record<string, unknown>[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    return { lines, logger: pino(signalPinoOptions('log'), stream) };
  }

  it('should redact credentials of a logged request and token fields of logged objects', async () => {
    const sut = capture();
    sut.logger.info(
      {
        req: { headers: { authorization: 'Bearer abc', 'x-api-key': 'key-1', cookie: 'c=1' } },
        device: { token: 'fcm-token' },
      },
      'request',
    );
    await new Promise(setImmediate);
    expect(sut.lines[0]).toMatchObject({
      req: {
        headers: { authorization: '[redacted]', 'x-api-key': '[redacted]', cookie: '[redacted]' },
      },
      device: { token: '[redacted]' },
    });
  });

  it('should mask addresses in the message and the logged object', async () => {
    const sut = capture();
    sut.logger.warn({ to: 'jane@example.com' }, 'email to jane@example.com failed');
    await new Promise(setImmediate);
    expect(sut.lines[0]).toMatchObject({
      level: 'warn',
      to: '***@example.com',
      msg: 'email to ***@example.com failed',
    });
  });

  it('should add the correlation id of the work in progress, and none outside it', async () => {
    const sut = capture();
    CorrelationContext.run('corr-1', () => sut.logger.info('inside'));
    sut.logger.info('outside');
    await new Promise(setImmediate);
    expect(sut.lines[0]).toMatchObject({ msg: 'inside', correlationId: 'corr-1' });
    expect(sut.lines[1]).not.toHaveProperty('correlationId');
  });
});
