import { DynamicModule, Module } from '@nestjs/common';
import { KafkaClients, KafkaConnection } from './kafka-clients';

/**
 * Kafka for every feature: `KafkaClients`, injectable everywhere once the root module has called
 * `forRoot`. The consumer transport is not a provider: it is connected to the app
 * (`kafkaTransportOptions`).
 */
@Module({})
export class KafkaModule {
  static forRoot(connection: KafkaConnection): DynamicModule {
    return {
      module: KafkaModule,
      global: true,
      providers: [{ provide: KafkaClients, useValue: new KafkaClients(connection) }],
      exports: [KafkaClients],
    };
  }
}
