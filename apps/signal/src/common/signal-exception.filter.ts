import { randomUUID } from 'node:crypto';
import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import { BaseRpcExceptionFilter } from '@nestjs/microservices';
import { isDataRefusedByDatabase, isTransientDatabaseError } from '@signal/persistence';
import { FastifyReply, FastifyRequest } from 'fastify';
import { errorMessage } from './error-message';
import { dependencyUnavailable, SignalErrorCode, SignalException } from './signal.exception';
import { truncateText } from './text-excerpt';

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
    case SignalErrorCode.REQUEST_TIMEOUT:
      return HttpStatus.REQUEST_TIMEOUT;
    case SignalErrorCode.DEPENDENCY_UNAVAILABLE:
    case SignalErrorCode.OVERLOADED:
    case SignalErrorCode.SERVER_BUSY:
      return HttpStatus.SERVICE_UNAVAILABLE;
    case SignalErrorCode.INTERNAL_ERROR:
      return HttpStatus.INTERNAL_SERVER_ERROR;
  }
}

/** How long a caller should wait before sending the same request again, for codes that mean "later". */
export function retryAfterSecondsOf(code: SignalErrorCode): number | undefined {
  switch (code) {
    case SignalErrorCode.DEPENDENCY_UNAVAILABLE:
    case SignalErrorCode.SERVER_BUSY:
      // Long enough for a dependency's reconnect (Redis: every 2 s at most), short for callers.
      return 5;
    case SignalErrorCode.OVERLOADED:
      return 1;
    default:
      return undefined;
  }
}

/**
 * Failures of dependencies that tell a caller something, as domain exceptions: a database that
 * cannot be reached now (the request may pass later), or one that refused the values of this
 * request (it will not pass as it is). Null for anything else.
 */
export function signalExceptionOf(error: unknown): SignalException | null {
  if (error instanceof SignalException) return error;
  if (isTransientDatabaseError(error)) return dependencyUnavailable('postgresql');
  if (isDataRefusedByDatabase(error)) {
    return new SignalException(
      SignalErrorCode.INVALID_INPUT,
      `PostgreSQL cannot store this request: ${truncateText(errorMessage(error), 200)}`,
    );
  }
  return null;
}

/**
 * Every error of an HTTP route to one answer `{ statusCode, error, message }`: domain exceptions
 * by their code (with `Retry-After` when the answer means "later"), Nest's and Fastify's own
 * rejections as they are (413 saying the route's body limit), and anything else as a generic 500
 * whose error id is logged with the cause. Microservice handlers get Nest's own filter.
 */
@Catch()
export class SignalExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrors');
  private readonly rpcFilter = new BaseRpcExceptionFilter();

  catch(error: unknown, host: ArgumentsHost) {
    if (host.getType() !== 'http') return this.rpcFilter.catch(error, host);
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const known = signalExceptionOf(error);
    if (known) return this.sendSignalException(reply, known);
    if (error instanceof HttpException) return this.sendHttpException(reply, request, error);

    const errorId = randomUUID();
    this.logger.error(
      { errorId, err: error },
      `${request.method} ${request.url} failed; answered 500 with error id ${errorId}`,
    );
    if (reply.sent) return;
    reply.status(HttpStatus.INTERNAL_SERVER_ERROR).send({
      statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
      error: SignalErrorCode.INTERNAL_ERROR,
      message: `Internal server error (error id ${errorId})`,
      errorId,
    });
  }

  private sendSignalException(reply: FastifyReply, exception: SignalException): void {
    const status = httpStatusOf(exception.code);
    const retryAfter = retryAfterSecondsOf(exception.code);
    if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
    reply
      .status(status)
      .send({ statusCode: status, error: exception.code, message: exception.message });
  }

  private sendHttpException(
    reply: FastifyReply,
    request: FastifyRequest,
    exception: HttpException,
  ): void {
    const status: HttpStatus = exception.getStatus();
    // Fastify's own 413: the body is over the limit of the route (see `applyRouteBodyLimits`).
    if (status === HttpStatus.PAYLOAD_TOO_LARGE) {
      const { bodyLimit, url } = request.routeOptions;
      this.sendSignalException(
        reply,
        new SignalException(
          SignalErrorCode.PAYLOAD_TOO_LARGE,
          `the request body is larger than ${bodyLimit} bytes, the limit of ${request.method} ${url ?? request.url}`,
        ),
      );
      return;
    }
    const body = exception.getResponse();
    reply
      .status(status)
      .send(typeof body === 'object' ? body : { statusCode: status, message: body });
  }
}
