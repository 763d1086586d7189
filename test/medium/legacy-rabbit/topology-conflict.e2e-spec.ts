import { connect } from 'amqplib';
import { LegacyRabbitBroker } from '../../../apps/signal/src/legacy-rabbit/legacy-rabbit.broker';
import { deleteQueues } from '../../support/rabbitmq';
import { testSignalConfig } from '../../support/test-config';
import { TestServices } from '../../support/test-services';
import { uniqueName } from '../../support/unique-name';

describe('Legacy adapter start against a conflicting queue (real RabbitMQ)', () => {
  const queue = uniqueName('it.legacy-conflict');

  afterAll(async () => {
    await deleteQueues(queue, `${queue}.dlq`, `${queue}.delivery`);
    const connection = await connect(TestServices.rabbitmqUrl);
    await (await connection.createChannel()).deleteExchange(`${queue}.dlx`);
    await connection.close();
  });

  it('should refuse to start, naming the queue, when RABBITMQ_QUEUE exists with other arguments', async () => {
    // As the NestJS RMQ transport declared it: durable, without a dead-letter exchange.
    const connection = await connect(TestServices.rabbitmqUrl);
    const channel = await connection.createChannel();
    await channel.assertQueue(queue, { durable: true });
    await connection.close();
    const sut = new LegacyRabbitBroker(
      testSignalConfig({ RABBITMQ_QUEUE: queue, LEGACY_RABBIT_BINDING_PATTERN: `${queue}.#` }),
    );
    const ignore = () => Promise.resolve({ kind: 'ack' as const });

    await expect(sut.start({ ingress: ignore, delivery: ignore })).rejects.toThrow(
      `legacy RabbitMQ adapter: cannot set up ${queue} and its queues`,
    );
  });
});
