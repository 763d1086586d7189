import { Controller, INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, KafkaContext, Payload } from '@nestjs/microservices';
import { Admin, Producer } from 'kafkajs';
import { kafkaTransportOptions } from '../../apps/signal/src/transports/kafka-transport.options';
import { createTopic, testKafka, waitForStableGroup } from '../support/kafka';
import { TestServices } from '../support/test-services';
import { uniqueName } from '../support/unique-name';
import { waitFor } from '../support/wait-for';

const topic = uniqueName('it.kafka-roundtrip');
const clientId = uniqueName('IT_CLIENT');
const groupId = uniqueName('IT_GROUP');
const received: Array<{ key: string | undefined; value: unknown }> = [];

@Controller()
class RoundTripController {
  @EventPattern(topic)
  onMessage(@Payload() value: unknown, @Ctx() context: KafkaContext): void {
    received.push({ key: context.getMessage().key?.toString(), value });
  }
}

@Module({ controllers: [RoundTripController] })
class RoundTripModule {}

describe("Kafka round trip through Signal's Kafka transport (real broker)", () => {
  let admin: Admin;
  let producer: Producer;
  let microservice: INestMicroservice;

  beforeAll(async () => {
    const kafka = testKafka('it-kafka-roundtrip');
    admin = kafka.admin();
    producer = kafka.producer();
    await Promise.all([admin.connect(), producer.connect()]);
    await createTopic(admin, topic);

    microservice = await NestFactory.createMicroservice(RoundTripModule, {
      ...kafkaTransportOptions({
        enabled: true,
        brokers: TestServices.kafkaBrokers,
        clientId,
        groupId,
      }),
      logger: false,
    });
    await microservice.listen();
  });

  afterAll(async () => {
    await microservice.close();
    await admin.deleteTopics({ topics: [topic] });
    await Promise.all([admin.disconnect(), producer.disconnect()]);
  });

  it('should join the group with the exact client and group ids (no "-server" suffix)', async () => {
    const members = await waitForStableGroup(admin, groupId);
    expect(members.map((member) => member.clientId)).toEqual([clientId]);
  });

  it('should consume a produced JSON message with its key', async () => {
    const value = { eventType: 'PAYMENT_SUCCESS', n: 1 };
    // The group starts at the latest offset, so keep producing until the consumer has caught one.
    await waitFor(
      'a produced message to be consumed',
      async () => {
        await producer.send({
          topic,
          messages: [{ key: 'order-1', value: JSON.stringify(value) }],
        });
        return received.length > 0 ? received : undefined;
      },
      { intervalMs: 1000 },
    );
    expect(received[0]).toEqual({ key: 'order-1', value });
  });
});
