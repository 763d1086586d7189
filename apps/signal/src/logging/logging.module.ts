import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { SignalConfig } from '../config/signal-config';
import { signalLoggerParams } from './signal-logger.options';

/**
 * One logger for the app: `nestjs-pino` (the app's `LoggerService`, through which every
 * `new Logger(context)` writes once `app.useLogger` ran). The HTTP side, access lines and the
 * correlation id of requests, is `logHttpRequests`, Fastify hooks.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [SignalConfig],
      useFactory: (config: SignalConfig) => signalLoggerParams(config),
    }),
  ],
})
export class LoggingModule {}
