import { Logger } from '@nestjs/common';
import { DeadLetterHeaders, KafkaTopics } from '@signal/core';
import { SignalMetrics } from '../metrics/signal-metrics';
import {
  DeadLetterPublisher,
  deadLetterRecords,
  DeadLetterSource,
  deadLetterTopicOf,
} from './dead-letter.publisher';
import { FetchedMessage, MessageProducer, OutboundMessage } from './kafka-client';
import { KafkaBatchMetrics } from './kafka-batch.metrics';

function aFetchedMessage(offset: string, headers: Record<string, string> = {}): FetchedMessage {
  return {
    offset,
    key: Buffer.from(`key-${offset}`),
    value: Buffer.from(`{"n":${offset}}`),
    headers,
    timestamp: '1764000000000',
  };
}

describe(deadLetterTopicOf.name, () => {
  it.each([
    [KafkaTopics.SIGNAL_ACTIVITY_NOTIFICATION, KafkaTopics.SIGNAL_ACTIVITY_NOTIFICATION_DLQ],
    [KafkaTopics.SIGNAL_PHX_PUSH_ACCEPTED, KafkaTopics.SIGNAL_PHX_PUSH_ACCEPTED_DLQ],
    ['staging.activity-notification', 'staging.activity-notification.dlq'],
  ])('should send the dead letters of %s to %s', (topic, deadLetterTopic) => {
    expect(deadLetterTopicOf(topic)).toBe(deadLetterTopic);
  });
});

describe(deadLetterRecords.name, () => {
  const source: DeadLetterSource = {
    topic: 'orders',
    partition: 2,
    messages: [aFetchedMessage('10', { 'trace-id': 'abc' }), aFetchedMessage('11')],
  };
  const failedAt = new Date('2026-12-03T10:00:00Z');

  it('should keep key, value and headers, and add where the letter came from and why', () => {
    const [letter] = deadLetterRecords(
      source,
      [{ offset: '10', errorClass: 'InvalidJson', message: 'value is not JSON' }],
      3,
      failedAt,
    );

    expect(letter).toEqual({
      key: Buffer.from('key-10'),
      value: Buffer.from('{"n":10}'),
      headers: {
        'trace-id': 'abc',
        [DeadLetterHeaders.ORIGINAL_TOPIC]: 'orders',
        [DeadLetterHeaders.ORIGINAL_PARTITION]: '2',
        [DeadLetterHeaders.ORIGINAL_OFFSET]: '10',
        [DeadLetterHeaders.ORIGINAL_TIMESTAMP]: '1764000000000',
        [DeadLetterHeaders.ERROR_CLASS]: 'InvalidJson',
        [DeadLetterHeaders.ERROR_MESSAGE]: 'value is not JSON',
        [DeadLetterHeaders.ATTEMPTS]: '3',
        [DeadLetterHeaders.FAILED_AT]: '2026-12-03T10:00:00.000Z',
      },
    });
  });

  it('should write one letter per rejected message, of that message', () => {
    const letters = deadLetterRecords(
      source,
      [
        { offset: '11', errorClass: 'A', message: 'a' },
        { offset: '10', errorClass: 'B', message: 'b' },
      ],
      1,
      failedAt,
    );

    expect(letters.map((letter) => letter.headers[DeadLetterHeaders.ORIGINAL_OFFSET])).toEqual([
      '11',
      '10',
    ]);
  });

  it('should quote at most 2,000 characters of a reason', () => {
    const [letter] = deadLetterRecords(
      source,
      [{ offset: '10', errorClass: 'SchemaViolation', message: 'x'.repeat(5000) }],
      1,
      failedAt,
    );

    expect(letter.headers[DeadLetterHeaders.ERROR_MESSAGE]).toBe(
      `${'x'.repeat(2000)}…[3000 more characters]`,
    );
  });
});

describe(DeadLetterPublisher.name, () => {
  afterEach(() => jest.restoreAllMocks());

  const sent: { topic: string; messages: OutboundMessage[] }[] = [];
  const producer: MessageProducer = {
    connect: () => Promise.resolve(),
    disconnect: () => Promise.resolve(),
    send: (topic, messages) => {
      sent.push({ topic, messages });
      return Promise.resolve();
    },
  };
  let metrics: SignalMetrics;
  let warned: jest.SpyInstance;
  let sut: DeadLetterPublisher;

  beforeEach(() => {
    sent.length = 0;
    warned = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    metrics = new SignalMetrics();
    sut = new DeadLetterPublisher(producer, new KafkaBatchMetrics(metrics));
  });

  it('should publish to the dead-letter topic KafkaTopics names, and count each letter', async () => {
    await sut.publish(
      {
        topic: KafkaTopics.SIGNAL_PHX_PUSH_ACCEPTED,
        partition: 0,
        messages: [aFetchedMessage('5'), aFetchedMessage('6')],
      },
      [
        { offset: '5', errorClass: 'UnknownRequest', message: 'no such request' },
        { offset: '6', errorClass: 'UnknownRequest', message: 'no such request' },
      ],
      1,
    );

    expect(sent.map(({ topic, messages }) => [topic, messages.length])).toEqual([
      [KafkaTopics.SIGNAL_PHX_PUSH_ACCEPTED_DLQ, 2],
    ]);
    expect(warned.mock.calls.map(([line]) => line as string)).toEqual([
      `${KafkaTopics.SIGNAL_PHX_PUSH_ACCEPTED}[0]@5 dead-lettered: UnknownRequest: no such request`,
      `${KafkaTopics.SIGNAL_PHX_PUSH_ACCEPTED}[0]@6 dead-lettered: UnknownRequest: no such request`,
    ]);
    const counted = await metrics.kafkaDeadLetters.get();
    expect(counted.values).toEqual([
      {
        labels: { topic: KafkaTopics.SIGNAL_PHX_PUSH_ACCEPTED, error_class: 'UnknownRequest' },
        value: 2,
      },
    ]);
  });

  it('should send nothing when nothing is rejected', async () => {
    await sut.publish({ topic: 'orders', partition: 0, messages: [aFetchedMessage('1')] }, [], 1);

    expect(sent).toEqual([]);
  });
});
