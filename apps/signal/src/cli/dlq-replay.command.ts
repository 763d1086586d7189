import { parseArgs } from 'node:util';
import { Logger } from '@nestjs/common';
import { KafkaTopics } from '@signal/core';
import { SignalConfig } from '../config/signal-config';
import { ConsumedTopic, consumedTopics, KafkaClients, replayDeadLetters } from '../kafka';

const OPTIONS = {
  topic: { type: 'string' },
  since: { type: 'string' },
  limit: { type: 'string' },
  'dry-run': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

// Read without --topic: the activity topic's dead letters, the only ones dlq:replay knew before.
const DEFAULT_PATTERN = KafkaTopics.SIGNAL_ACTIVITY_NOTIFICATION;

/**
 * `dlq:replay [--topic T] [--since ISO-8601] [--limit N] [--dry-run]`: dead letters back to the
 * topic they came from, from any of Signal's dead-letter topics (the activity one by default).
 */
export async function dlqReplayCommand(
  args: string[],
  config: SignalConfig,
  logger: Logger,
): Promise<void> {
  const { values } = parseArgs({ args, options: OPTIONS });
  const topics = consumedTopics(config);
  if (values.help) {
    process.stdout.write(usage(topics));
    return;
  }
  const source =
    values.topic === undefined
      ? topics.find(({ pattern }) => pattern === DEFAULT_PATTERN)!
      : topics.find(({ deadLetterTopic }) => deadLetterTopic === values.topic);
  if (!source) {
    const names = topics.map(({ deadLetterTopic }) => deadLetterTopic).join(', ');
    throw new Error(`--topic must be one of ${names}`);
  }
  const since = values.since === undefined ? undefined : new Date(values.since);
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (since && Number.isNaN(since.getTime())) throw new Error('--since must be an ISO-8601 date');
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) {
    throw new Error('--limit must be a positive integer');
  }
  const kafka = new KafkaClients(config.kafka).kafkajs({ clientIdSuffix: '-dlq-replay' });
  const report = await replayDeadLetters(kafka, {
    deadLetterTopic: source.deadLetterTopic,
    fallbackTopic: source.topic,
    since,
    limit,
    dryRun: values['dry-run'] ?? false,
    onProgress: (line) => logger.log(line),
  });
  logger.log(
    `dead letters scanned ${report.scanned}, ${values['dry-run'] ? 'to replay' : 'replayed'} ${report.replayed}, before --since ${report.skippedBeforeSince}`,
  );
}

function usage(topics: ConsumedTopic[]): string {
  const width = Math.max(...topics.map(({ deadLetterTopic }) => deadLetterTopic.length));
  const lines = topics.map(
    ({ deadLetterTopic, topic, pattern }) =>
      `  ${deadLetterTopic.padEnd(width)}  → ${topic}${pattern === DEFAULT_PATTERN ? ' (default)' : ''}`,
  );
  return [
    'Usage: dlq:replay [--topic <dead-letter topic>] [--since <ISO-8601>] [--limit <n>] [--dry-run]',
    '',
    'Re-publishes dead letters, without their dead-letter headers, to the topic they came from.',
    '',
    '  --topic     the dead-letter topic to read (as this environment names them, below)',
    '  --since     only those that failed at or after this time',
    '  --limit     at most this many',
    '  --dry-run   list them, re-publish nothing',
    '',
    'Dead-letter topics:',
    ...lines,
    '',
  ].join('\n');
}
