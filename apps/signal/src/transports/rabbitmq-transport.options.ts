import { RmqOptions, Transport } from '@nestjs/microservices';
import { SignalConfig } from '../config/signal-config';

/** Options of the RabbitMQ consumer transport: durable queue, manual acks, bounded prefetch. */
export function rabbitmqTransportOptions(rabbitmq: SignalConfig['rabbitmq']): RmqOptions {
  return {
    transport: Transport.RMQ,
    options: {
      urls: [rabbitmq.url],
      queue: rabbitmq.queue,
      queueOptions: { durable: true },
      noAck: false,
      prefetchCount: rabbitmq.prefetch,
    },
  };
}
