import { Writable } from 'node:stream';
import pino from 'pino';
import { CorrelationContext } from './correlation-context';
import {
  CharSource,
  emailSpans,
  MAX_LOGGED_TEXT,
  maskEmails,
  maskEmailsInText,
} from './log-redaction';
import { signalPinoOptions } from './signal-logger.options';

describe(maskEmails.name, () => {
  it('should mask the local part of every address in a text and keep the rest', () => {
    expect(maskEmailsInText('550 <jane.doe+fee@example.com> and bob@mail.school.vn rejected')).toBe(
      '550 <***@example.com> and ***@mail.school.vn rejected',
    );
  });

  it('should start an address right where the previous one ends', () => {
    expect(maskEmailsInText('a@example.com1x@foo.org')).toBe('***@example.com***@foo.org');
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

  it('should mask exactly what the former expression matched, on random text', () => {
    // The expression the scan replaced: right, but quadratic on long runs of local-part characters.
    const reference = /[\w.%+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})/g;
    const alphabet = 'abcZab1_.-%+@ @..-';
    let seed = 15;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const differences: string[] = [];
    for (let sample = 0; sample < 20_000; sample++) {
      const text = Array.from(
        { length: Math.floor(random() * 40) },
        () => alphabet[Math.floor(random() * alphabet.length)],
      ).join('');
      if (maskEmailsInText(text) !== text.replace(reference, '***@$1')) differences.push(text);
    }
    expect(differences).toEqual([]);
  });

  it('should read each character a bounded number of times, however hostile the text', () => {
    const hostile: ((n: number) => string)[] = [
      (n) => `/${'a'.repeat(n)}@x`,
      (n) => `${'a'.repeat(n)} b@c`,
      (n) => `x@${'a.'.repeat(n / 2)}1`,
      (n) => '@a'.repeat(n / 2),
      (n) => 'a@b.'.repeat(n / 4),
      (n) => 'jane@example.com '.repeat(n / 17),
    ];
    for (const build of hostile) {
      for (const n of [4096, 65_536]) {
        const text = build(n);
        let reads = 0;
        const counted: CharSource = {
          length: text.length,
          charCodeAt: (index) => (reads++, text.charCodeAt(index)),
        };
        emailSpans(counted);
        expect({ text: text.slice(0, 12), reads: reads <= 4 * text.length }).toEqual({
          text: text.slice(0, 12),
          reads: true,
        });
      }
    }
  });

  it('should cut long strings, keeping the start and saying how much was left out', () => {
    const long = `jane@example.com ${'a'.repeat(2 * MAX_LOGGED_TEXT)}`;
    const logged = maskEmails({ reason: long }) as { reason: string };

    expect(logged.reason.startsWith('***@example.com aaa')).toBe(true);
    expect(logged.reason.endsWith(`…[${long.length - MAX_LOGGED_TEXT} more characters]`)).toBe(
      true,
    );
    expect(logged.reason.length).toBeLessThan(MAX_LOGGED_TEXT + 40);
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
