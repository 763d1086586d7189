import { Server } from 'node:http';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyHttpOptions } from 'fastify';
import { Logger, PinoLogger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { serveApiDocs } from './api-docs';
import { applyRouteBodyLimits, NO_BODY_LIMIT } from './common/body-limit';
import { answerClientError } from './common/http-client-error';
import { RejectNulCharactersPipe } from './common/reject-nul-characters.pipe';
import { SignalExceptionFilter } from './common/signal-exception.filter';
import { SignalValidationPipe } from './common/signal-validation.pipe';
import { SignalConfig } from './config/signal-config';
import { instrumentHttpRequests } from './metrics/http-metrics.hooks';
import { SignalMetrics } from './metrics/signal-metrics';
import { logHttpRequests } from './logging/http-request-logging.hook';
import { correlationIdOfRequest } from './logging/signal-logger.options';
import { KafkaClients, kafkaTransportOptions, TransportDrainService } from './kafka';
import { RedisIoAdapter } from './signal-gateway/socket/redis-io.adapter';
import { SocketRedisConnection } from './signal-gateway/socket/socket-redis.connection';

/**
 * Builds and starts the whole Signal app: HTTP, and the Kafka consumer transport when enabled
 * (RabbitMQ is consumed by `LegacyRabbitAdapterModule`, which owns RABBITMQ_QUEUE). Used by
 * `main.ts` and by end-to-end tests, so both boot the same thing.
 * Signals are `main.ts`'s business: Nest's own shutdown hooks re-raise the signal after closing,
 * so the process would never exit 0.
 */
export async function startSignalApp(config: SignalConfig): Promise<INestApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.register(config),
    new FastifyAdapter(signalFastifyOptions(config)),
    { bufferLogs: true },
  );
  // From here every `new Logger(context)`, in providers or not (the Kafka transport), writes through pino.
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();
  logHttpRequests(fastify, PinoLogger.root);
  instrumentHttpRequests(fastify, app.get(SignalMetrics));
  applyRouteBodyLimits(fastify, config);
  app.useGlobalPipes(new RejectNulCharactersPipe(), new SignalValidationPipe());
  app.useGlobalFilters(new SignalExceptionFilter());
  const socketRedis = app.get(SocketRedisConnection);
  await socketRedis.connect();
  app.useWebSocketAdapter(new RedisIoAdapter(app, socketRedis, config.gateway.redisKey));
  if (config.kafka.enabled) {
    const kafka = kafkaTransportOptions(config, app.get(SignalMetrics), app.get(KafkaClients));
    app.get(TransportDrainService).register(kafka.strategy);
    app.connectMicroservice(kafka, { inheritAppConfig: true });
  }
  await app.startAllMicroservices();
  serveApiDocs(app);
  // Every interface, as in a container; Fastify's default would be loopback only.
  await app.listen(config.http.port, '0.0.0.0');
  return app;
}

/**
 * Fastify rather than Express: on the PHX emit path Express's routing and response code cost
 * more CPU than everything Signal does per request (see README, Benchmarks).
 */
function signalFastifyOptions(config: SignalConfig): FastifyHttpOptions<Server> {
  return {
    // Routes with a body declare their own limit (`@BodyLimit`); the rest take next to nothing.
    bodyLimit: NO_BODY_LIMIT,
    // Requests Node refuses before routing (a NUL in a header, too slow) answered like the rest.
    clientErrorHandler: answerClientError,
    // The request id is the correlation id: the caller's when usable, else a new one.
    genReqId: correlationIdOfRequest,
    // A client that trickles its request holds a connection and a parser: it has this long.
    requestTimeout: config.http.requestTimeoutMs,
    http: {
      headersTimeout: config.http.headersTimeoutMs,
      // Node checks the two timeouts above this often (its default, 30 s, would stretch them).
      connectionsCheckingInterval: 1000,
    },
    // Longer than usual load-balancer idle timeouts, so busy producers keep their connections.
    keepAliveTimeout: 65_000,
    routerOptions: {
      // `/notifications/` is `/notifications`, as clients written against Express expect.
      ignoreTrailingSlash: true,
      // User ids and action codes in paths may be longer than Fastify's default of 100.
      maxParamLength: 512,
    },
  };
}
