import { STATUS_CODES } from 'node:http';
import { Socket } from 'node:net';
import { SignalErrorCode } from './signal.exception';
import { truncateText } from './text-excerpt';

/** What Node's HTTP parser reports with a request it refused. */
export interface HttpClientError extends Error {
  code?: string;
  reason?: string;
  rawPacket?: Buffer;
  bytesParsed?: number;
}

interface ClientErrorAnswer {
  statusCode: number;
  error: SignalErrorCode;
  message: string;
}

/** `header <name>: <what is wrong>` when the parser stopped inside a header value. */
function describeHeaderValue({ rawPacket, bytesParsed }: HttpClientError): string | null {
  if (rawPacket === undefined || bytesParsed === undefined || bytesParsed >= rawPacket.length) {
    return null;
  }
  const lineStart = rawPacket.lastIndexOf('\n', bytesParsed - 1) + 1;
  const colon = rawPacket.indexOf(':', lineStart);
  if (colon === -1 || colon > bytesParsed) return null;
  const name = truncateText(rawPacket.toString('latin1', lineStart, colon).trim(), 64);
  const char = rawPacket[bytesParsed];
  const what =
    char === 0
      ? 'a NUL character (\\u0000)'
      : `a control character (\\u${char.toString(16).padStart(4, '0')})`;
  return `header ${name}: must not contain ${what}`;
}

/** Fastify's `clientErrorHandler` answers, in the shape of every other error answer. */
export function clientErrorAnswer(error: HttpClientError): ClientErrorAnswer {
  switch (error.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return {
        statusCode: 408,
        error: SignalErrorCode.REQUEST_TIMEOUT,
        message:
          'the request did not arrive in time (HTTP_REQUEST_TIMEOUT_MS, HTTP_HEADERS_TIMEOUT_MS)',
      };
    case 'HPE_HEADER_OVERFLOW':
      return {
        statusCode: 431,
        error: SignalErrorCode.PAYLOAD_TOO_LARGE,
        message: 'the request line and headers are larger than 16384 bytes',
      };
    default: {
      const header = error.reason?.includes('header value') ? describeHeaderValue(error) : null;
      return {
        statusCode: 400,
        error: SignalErrorCode.INVALID_INPUT,
        message: header ?? `malformed HTTP request: ${error.reason ?? error.message}`,
      };
    }
  }
}

/**
 * Answers a request Node's HTTP parser refused before any route saw it (a NUL in a header, a
 * request that took too long to arrive), as Fastify's default handler does but with Signal's
 * error shape, then closes the connection.
 */
export function answerClientError(error: Error, socket: Socket): void {
  // A reset connection has nobody to answer.
  if ((error as HttpClientError).code === 'ECONNRESET' || socket.destroyed) return;
  const answer = clientErrorAnswer(error);
  const body = JSON.stringify(answer);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${answer.statusCode} ${STATUS_CODES[answer.statusCode]}\r\n` +
        `Connection: close\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
