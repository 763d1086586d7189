import { BadRequestException, INestApplication, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { ValidationError } from 'class-validator';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { serveApiDocs } from './api-docs';
import { SignalExceptionFilter } from './common/signal-exception.filter';
import { SignalErrorCode } from './common/signal.exception';
import { SignalConfig } from './config/signal-config';
import { SignalMetrics } from './metrics/signal-metrics';
import { kafkaTransportOptions } from './transports/kafka-transport.options';
import { RedisIoAdapter } from './signal-gateway/socket/redis-io.adapter';
import { TransportDrainService } from './transports/transport-drain.service';

/**
 * Builds and starts the whole Signal app: HTTP, and the Kafka consumer transport when enabled
 * (RabbitMQ is consumed by `LegacyRabbitAdapterModule`, which owns RABBITMQ_QUEUE). Used by
 * `main.ts` and by end-to-end tests, so both boot the same thing.
 * Signals are `main.ts`'s business: Nest's own shutdown hooks re-raise the signal after closing,
 * so the process would never exit 0.
 */
export async function startSignalApp(config: SignalConfig): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config), {
    bufferLogs: true,
  });
  // From here every `new Logger(context)`, in providers or not (the Kafka transport), writes through pino.
  app.useLogger(app.get(Logger));
  // Room for the emit payload limit plus the envelope, so our own 413 explains the limit.
  app.useBodyParser('json', { limit: config.gateway.maxPayloadBytes + 16 * 1024 });
  app.useGlobalPipes(
    new ValidationPipe({
      transform: true,
      whitelist: true,
      forbidNonWhitelisted: true,
      exceptionFactory: (errors) =>
        new BadRequestException({
          statusCode: 400,
          error: SignalErrorCode.INVALID_INPUT,
          message: flattenValidationErrors(errors),
        }),
    }),
  );
  app.useGlobalFilters(new SignalExceptionFilter());
  const socketAdapter = new RedisIoAdapter(app, config.redis.url, config.gateway.redisKey);
  await socketAdapter.connectToRedis();
  app.useWebSocketAdapter(socketAdapter);
  if (config.kafka.enabled) {
    const kafka = kafkaTransportOptions(config, app.get(SignalMetrics));
    app.get(TransportDrainService).register(kafka.strategy);
    app.connectMicroservice(kafka, { inheritAppConfig: true });
  }
  await app.startAllMicroservices();
  // An API answers fresh JSON each time: ETags cost a hash per response (a third of the emit path's CPU).
  app.set('etag', false);
  serveApiDocs(app);
  await app.listen(config.http.port);
  // Longer than usual load-balancer idle timeouts, so busy producers keep their connections.
  const server = app.getHttpServer();
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return app;
}

/** Every violation, one line each, e.g. "payload must be a JSON object". */
function flattenValidationErrors(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) =>
      parent ? `${path}: ${message}` : message,
    );
    return [...own, ...flattenValidationErrors(error.children ?? [], path)];
  });
}
