import { clientErrorAnswer, HttpClientError } from './http-client-error';

/** What Node's parser reports when it stops at the first `bad` character of `raw`. */
function parseError(raw: string, bad: string, reason: string): HttpClientError {
  return Object.assign(new Error(`Parse Error: ${reason}`), {
    code: 'HPE_INVALID_HEADER_TOKEN',
    reason,
    rawPacket: Buffer.from(raw, 'latin1'),
    bytesParsed: raw.indexOf(bad),
  });
}

describe(clientErrorAnswer.name, () => {
  const head = (value: string) =>
    `POST /emit/inapp-noti HTTP/1.1\r\nHost: x\r\nidempotency-key: ${value}\r\n\r\n`;

  it('should name the header whose value carries a NUL character', () => {
    expect(
      clientErrorAnswer(parseError(head('a\u0000b'), '\u0000', 'Invalid header value char')),
    ).toEqual({
      statusCode: 400,
      error: 'INVALID_INPUT',
      message: 'header idempotency-key: must not contain a NUL character (\\u0000)',
    });
  });

  it('should name the header and the code of another control character', () => {
    expect(
      clientErrorAnswer(parseError(head('a\u0001b'), '\u0001', 'Invalid header value char'))
        .message,
    ).toBe('header idempotency-key: must not contain a control character (\\u0001)');
  });

  it('should say what else the parser refused', () => {
    expect(
      clientErrorAnswer(
        Object.assign(new Error('x'), {
          code: 'HPE_INVALID_METHOD',
          reason: 'Invalid method encountered',
        }),
      ),
    ).toEqual({
      statusCode: 400,
      error: 'INVALID_INPUT',
      message: 'malformed HTTP request: Invalid method encountered',
    });
  });

  it.each([
    ['ERR_HTTP_REQUEST_TIMEOUT', 408, 'REQUEST_TIMEOUT'],
    ['HPE_HEADER_OVERFLOW', 431, 'PAYLOAD_TOO_LARGE'],
  ])('should answer %s with %i %s', (code, statusCode, error) => {
    expect(clientErrorAnswer(Object.assign(new Error(code), { code }))).toMatchObject({
      statusCode,
      error,
    });
  });
});
