import { LoggerService } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { errorMessage } from '../common/error-message';

/**
 * Creates those of `topics` that are missing. Listed first: kafkajs logs an error for every
 * create of an existing topic. A broker that forbids creating them just gets a warning.
 */
export async function ensureKafkaTopics(
  kafka: Kafka,
  topics: string[],
  logger: LoggerService,
): Promise<void> {
  if (topics.length === 0) return;
  const admin = kafka.admin();
  try {
    await admin.connect();
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({ topic })),
      });
    }
  } catch (error) {
    logger.warn(`could not ensure topics ${topics.join(', ')}: ${errorMessage(error)}`);
  } finally {
    await admin.disconnect();
  }
}
