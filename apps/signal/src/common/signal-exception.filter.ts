import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { SignalErrorCode, SignalException } from './signal.exception';

export function httpStatusOf(code: SignalErrorCode): HttpStatus {
  switch (code) {
    case SignalErrorCode.TOKEN_MISSING:
    case SignalErrorCode.TOKEN_MALFORMED:
    case SignalErrorCode.TOKEN_INVALID:
    case SignalErrorCode.TOKEN_EXPIRED:
    case SignalErrorCode.TOKEN_NOT_YET_VALID:
    case SignalErrorCode.TOKEN_CLAIMS_INVALID:
    case SignalErrorCode.API_KEY_MISSING:
    case SignalErrorCode.API_KEY_UNKNOWN:
      return HttpStatus.UNAUTHORIZED;
    case SignalErrorCode.API_KEY_SCOPE:
      return HttpStatus.FORBIDDEN;
    case SignalErrorCode.INVALID_INPUT:
      return HttpStatus.BAD_REQUEST;
    case SignalErrorCode.PAYLOAD_TOO_LARGE:
      return HttpStatus.PAYLOAD_TOO_LARGE;
    case SignalErrorCode.NOT_FOUND:
      return HttpStatus.NOT_FOUND;
    case SignalErrorCode.REDIS_UNAVAILABLE:
    case SignalErrorCode.SERVER_BUSY:
      return HttpStatus.SERVICE_UNAVAILABLE;
  }
}

/** Long enough for a dependency's reconnect (Redis: every 2 s at most), short for callers. */
export const RETRY_AFTER_SECONDS = 5;

/** Domain exceptions to HTTP: `{ statusCode, error: code, message }`. */
@Catch(SignalException)
export class SignalExceptionFilter implements ExceptionFilter {
  catch(exception: SignalException, host: ArgumentsHost): void {
    const status = httpStatusOf(exception.code);
    const reply = host.switchToHttp().getResponse<FastifyReply>().status(status);
    // A dependency away: callers retry after a pause rather than at once.
    if (status === HttpStatus.SERVICE_UNAVAILABLE) reply.header('retry-after', RETRY_AFTER_SECONDS);
    reply.send({ statusCode: status, error: exception.code, message: exception.message });
  }
}
