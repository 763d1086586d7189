import { KafkaOptions, Transport } from '@nestjs/microservices';
import { Partitioners } from 'kafkajs';
import { SignalConfig } from '../config/signal-config';

/** Options of the Kafka consumer transport (seed 000 settings). */
export function kafkaTransportOptions(kafka: SignalConfig['kafka']): KafkaOptions {
  return {
    transport: Transport.KAFKA,
    options: {
      // Nest would append "-server" to both ids; the seed's ids are exact.
      postfixId: '',
      client: { clientId: kafka.clientId, brokers: kafka.brokers },
      consumer: { groupId: kafka.groupId, allowAutoTopicCreation: false },
      // Naming the partitioner explicitly also silences kafkajs's v2 migration warning.
      producer: { createPartitioner: Partitioners.DefaultPartitioner },
      subscribe: { fromBeginning: false },
      run: { autoCommit: false },
    },
  };
}
