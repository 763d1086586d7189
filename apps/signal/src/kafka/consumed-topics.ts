import { KafkaTopics } from '@signal/core';
import { SignalConfig } from '../config/signal-config';
import { deadLetterTopicOf } from './dead-letter.publisher';

/** A topic Signal consumes: its handlers' pattern, its name in this environment, its dead letters. */
export interface ConsumedTopic {
  /** The `@EventPattern` of its handler: the topic's name in KafkaTopics. */
  pattern: string;
  topic: string;
  deadLetterTopic: string;
}

/** Every topic Signal consumes, as the configuration names them (KAFKA_TOPIC_*). */
export function consumedTopics({
  kafka,
  phx,
}: Pick<SignalConfig, 'kafka' | 'phx'>): ConsumedTopic[] {
  const topicOf = {
    [KafkaTopics.SIGNAL_ACTIVITY_NOTIFICATION]: kafka.activityTopic,
    [KafkaTopics.SIGNAL_PHX_PUSH_ACCEPTED]: phx.topic,
  };
  return Object.entries(topicOf).map(([pattern, topic]) => ({
    pattern,
    topic,
    deadLetterTopic: deadLetterTopicOf(topic),
  }));
}
