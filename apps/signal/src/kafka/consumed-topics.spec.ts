import { KafkaTopics } from '@signal/core';
import { loadSignalConfig } from '../config/signal-config';
import { consumedTopics } from './consumed-topics';

describe(consumedTopics.name, () => {
  const configOf = (env: Record<string, string> = {}) =>
    loadSignalConfig({
      NODE_ENV: 'test',
      SIGNAL_JWT_SECRET: 'unit-test-jwt-secret-0123456789',
      SIGNAL_API_KEYS: 'unit-test-api-key-0123456789',
      ...env,
    });

  it('should consume the topics KafkaTopics names, with their dead-letter topics, by default', () => {
    expect(consumedTopics(configOf())).toEqual([
      {
        pattern: KafkaTopics.SIGNAL_ACTIVITY_NOTIFICATION,
        topic: KafkaTopics.SIGNAL_ACTIVITY_NOTIFICATION,
        deadLetterTopic: KafkaTopics.SIGNAL_ACTIVITY_NOTIFICATION_DLQ,
      },
      {
        pattern: KafkaTopics.SIGNAL_PHX_PUSH_ACCEPTED,
        topic: KafkaTopics.SIGNAL_PHX_PUSH_ACCEPTED,
        deadLetterTopic: KafkaTopics.SIGNAL_PHX_PUSH_ACCEPTED_DLQ,
      },
    ]);
  });

  it('should take the names this environment gives, for the same handlers', () => {
    const topics = consumedTopics(
      configOf({
        KAFKA_TOPIC_ACTIVITY_NOTIFICATION: 'staging.activity',
        KAFKA_TOPIC_PHX_PUSH: 'staging.phx',
      }),
    );

    expect(topics).toEqual([
      {
        pattern: KafkaTopics.SIGNAL_ACTIVITY_NOTIFICATION,
        topic: 'staging.activity',
        deadLetterTopic: 'staging.activity.dlq',
      },
      {
        pattern: KafkaTopics.SIGNAL_PHX_PUSH_ACCEPTED,
        topic: 'staging.phx',
        deadLetterTopic: 'staging.phx.dlq',
      },
    ]);
  });
});
