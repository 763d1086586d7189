import { Partitioners } from 'kafkajs';
import { keyPartitioner } from './platformatic-client';

describe('keyPartitioner', () => {
  it('should put every key on the partition kafkajs (and Java) puts it on', () => {
    const kafkajs = Partitioners.DefaultPartitioner();
    for (const partitions of [3, 7, 12]) {
      const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({
        partitionId,
        leader: 1,
        partitionErrorCode: 0,
        replicas: [1],
        isr: [1],
      }));
      for (let n = 0; n < 2000; n++) {
        const key = `user-${n}`;
        const expected = kafkajs({ topic: 't', partitionMetadata, message: { key, value: null } });
        expect(keyPartitioner(undefined as never, Buffer.from(key)) % partitions).toBe(expected);
      }
    }
  });
});
