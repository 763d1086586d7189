import { IncomingMessage, ServerResponse } from 'node:http';
import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { SignalConfig } from '../config/signal-config';
import { CorrelationContext } from './correlation-context';
import { requestCorrelationId, signalLoggerParams } from './signal-logger.options';

/** Runs the rest of an HTTP request under its correlation id. */
function correlationMiddleware(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  CorrelationContext.run(requestCorrelationId(req, res), next);
}

/**
 * One logger for the app: `nestjs-pino` (the app's `LoggerService`, through which every
 * `new Logger(context)` writes once `app.useLogger` ran) with access lines, and the HTTP side of
 * the correlation id.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [SignalConfig],
      useFactory: (config: SignalConfig) => signalLoggerParams(config),
    }),
  ],
})
export class LoggingModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(correlationMiddleware).forRoutes('*');
  }
}
