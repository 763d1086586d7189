import { Admin, Kafka, logLevel } from 'kafkajs';
import { TestServices } from './test-services';
import { waitFor } from './wait-for';

export function testKafka(clientId: string): Kafka {
  return new Kafka({ clientId, brokers: TestServices.kafkaBrokers, logLevel: logLevel.NOTHING });
}

export async function createTopic(admin: Admin, topic: string, numPartitions = 1): Promise<void> {
  await admin.createTopics({ topics: [{ topic, numPartitions }], waitForLeaders: true });
}

/** Resolves with the group's members once it is Stable, i.e. partitions are assigned. */
export async function waitForStableGroup(admin: Admin, groupId: string, timeoutMs = 30_000) {
  return waitFor(
    `consumer group ${groupId} to be Stable`,
    async () => {
      const {
        groups: [group],
      } = await admin.describeGroups([groupId]);
      return group?.state === 'Stable' && group.members.length > 0 ? group.members : undefined;
    },
    { timeoutMs, intervalMs: 250 },
  );
}
