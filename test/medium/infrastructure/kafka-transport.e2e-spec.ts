import { Controller, INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Admin, Producer } from 'kafkajs';
import {
  KafkaBatchOutcome,
  KafkaClients,
  KafkaInboundBatch,
  kafkaTransportOptions,
} from '../../../apps/signal/src/kafka';
import { SignalMetrics } from '../../../apps/signal/src/metrics/signal-metrics';
import { createTopic, testKafka, waitForStableGroup } from '../../support/kafka';
import { testSignalConfig } from '../../support/test-config';
import { uniqueName } from '../../support/unique-name';
import { waitFor } from '../../support/wait-for';

const topic = uniqueName('it.kafka-roundtrip');
const clientId = uniqueName('IT_CLIENT');
const groupId = uniqueName('IT_GROUP');
const received: Array<{ key: string | null; value: unknown; offset: string }> = [];

@Controller()
class RoundTripController {
  @EventPattern<Record<string, KafkaInboundBatch>>(topic)
  onBatch(@Payload() batch: KafkaInboundBatch): KafkaBatchOutcome {
    for (const message of batch.messages) {
      received.push({
        key: message.key,
        value: JSON.parse(message.value!.toString()),
        offset: message.offset,
      });
    }
    return { kind: 'done', rejected: [] };
  }
}

@Module({ controllers: [RoundTripController] })
class RoundTripModule {}

describe("Kafka round trip through Signal's batch transport (real broker)", () => {
  let admin: Admin;
  let producer: Producer;
  let microservice: INestMicroservice;

  beforeAll(async () => {
    const kafka = testKafka('it-kafka-roundtrip');
    admin = kafka.admin();
    producer = kafka.producer();
    await Promise.all([admin.connect(), producer.connect()]);
    await createTopic(admin, topic);

    const config = testSignalConfig({
      APP_ENV_KAFKA_CLIENT_ID: clientId,
      APP_ENV_KAFKA_GROUP_ID: groupId,
    });
    microservice = await NestFactory.createMicroservice(RoundTripModule, {
      ...kafkaTransportOptions(config, new SignalMetrics(), new KafkaClients(config.kafka)),
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

  it('should consume a produced JSON message with its key and commit the next offset', async () => {
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
    expect(received[0]).toMatchObject({ key: 'order-1', value });

    // Compared with the newest consumed offset each time: another probe message may still arrive.
    const [lastSeen, committed] = await waitFor('the commit of last + 1', async () => {
      const [{ partitions }] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const last = received[received.length - 1].offset;
      return partitions[0].offset === String(Number(last) + 1)
        ? [last, partitions[0].offset]
        : undefined;
    });
    expect(BigInt(committed)).toBe(BigInt(lastSeen) + 1n);
  });
});
