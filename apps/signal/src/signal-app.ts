import { INestApplication, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { SignalConfig } from './config/signal-config';
import { kafkaTransportOptions } from './transports/kafka-transport.options';
import { rabbitmqTransportOptions } from './transports/rabbitmq-transport.options';

const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/**
 * Builds and starts the whole Signal app: HTTP, and the Kafka and RabbitMQ consumer transports
 * when enabled. Used by `main.ts` and by end-to-end tests, so both boot the same thing.
 * Signals are `main.ts`'s business: Nest's own shutdown hooks re-raise the signal after closing,
 * so the process would never exit 0.
 */
export async function startSignalApp(config: SignalConfig): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.register(config), {
    logger: LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(config.logLevel) + 1),
  });
  if (config.kafka.enabled) {
    app.connectMicroservice(kafkaTransportOptions(config.kafka), { inheritAppConfig: true });
  }
  if (config.rabbitmq.enabled) {
    app.connectMicroservice(rabbitmqTransportOptions(config.rabbitmq), { inheritAppConfig: true });
  }
  await app.startAllMicroservices();
  await app.listen(config.http.port);
  return app;
}
