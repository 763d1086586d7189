import { Controller, INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload, RmqContext } from '@nestjs/microservices';
import { Channel, ChannelModel, connect, ConsumeMessage } from 'amqplib';
import { rabbitmqTransportOptions } from '../../apps/signal/src/transports/rabbitmq-transport.options';
import { TestServices } from '../support/test-services';
import { uniqueName } from '../support/unique-name';
import { waitFor } from '../support/wait-for';

const queue = uniqueName('it.rmq-roundtrip');
const received: unknown[] = [];

@Controller()
class RoundTripController {
  @EventPattern<string>('it.ping')
  onPing(@Payload() data: unknown, @Ctx() context: RmqContext): void {
    received.push(data);
    (context.getChannelRef() as Channel).ack(context.getMessage() as ConsumeMessage);
  }
}

@Module({ controllers: [RoundTripController] })
class RoundTripModule {}

describe("RabbitMQ round trip through Signal's RMQ transport (real RabbitMQ)", () => {
  let microservice: INestMicroservice;
  let connection: ChannelModel;
  let channel: Channel;

  beforeAll(async () => {
    microservice = await NestFactory.createMicroservice(RoundTripModule, {
      ...rabbitmqTransportOptions({
        enabled: true,
        url: TestServices.rabbitmqUrl,
        queue,
        prefetch: 5,
      }),
      logger: false,
    });
    await microservice.listen();
    connection = await connect(TestServices.rabbitmqUrl);
    channel = await connection.createChannel();
  });

  afterAll(async () => {
    await microservice.close();
    await channel.deleteQueue(queue);
    await connection.close();
  });

  it('should consume a published message on a durable queue and ack it', async () => {
    const sent = { id: 'm-1', text: 'xin chào' };
    channel.sendToQueue(queue, Buffer.from(JSON.stringify({ pattern: 'it.ping', data: sent })), {
      persistent: true,
    });

    await waitFor('the message', () => (received.length > 0 ? received : undefined));
    expect(received).toEqual([sent]);

    const state = await waitFor('the queue to drain', async () => {
      const info = await channel.checkQueue(queue);
      return info.messageCount === 0 ? info : undefined;
    });
    expect(state.consumerCount).toBe(1);
  });
});
