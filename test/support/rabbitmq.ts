import { connect } from 'amqplib';
import { TestServices } from './test-services';

/** Removes the queues a test file declared, so the shared broker does not fill up with them. */
export async function deleteQueues(...queues: string[]): Promise<void> {
  const connection = await connect(TestServices.rabbitmqUrl);
  try {
    const channel = await connection.createChannel();
    for (const queue of queues) await channel.deleteQueue(queue);
  } finally {
    await connection.close();
  }
}
