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
    case SignalErrorCode.SERVER_BUSY:
      return HttpStatus.SERVICE_UNAVAILABLE;
  }
}

/** Domain exceptions to HTTP: `{ statusCode, error: code, message }`. */
@Catch(SignalException)
export class SignalExceptionFilter implements ExceptionFilter {
  catch(exception: SignalException, host: ArgumentsHost): void {
    const status = httpStatusOf(exception.code);
    host
      .switchToHttp()
      .getResponse<FastifyReply>()
      .status(status)
      .send({ statusCode: status, error: exception.code, message: exception.message });
  }
}
