import { SignalMetrics } from '../metrics/signal-metrics';
import { FetchedBatch } from './kafka-client';
import { KafkaBatchMetrics } from './kafka-batch.metrics';

function aBatch(offsets: string[], highWatermark: bigint): FetchedBatch {
  return {
    topic: 'orders',
    partition: 1,
    messages: offsets.map((offset) => ({
      offset,
      key: null,
      value: null,
      headers: {},
      timestamp: '0',
    })),
    highWatermark: () => highWatermark,
    heartbeat: () => Promise.resolve(),
    isRunning: () => true,
    isStale: () => false,
    commit: () => Promise.resolve(),
  };
}

describe(KafkaBatchMetrics.name, () => {
  let metrics: SignalMetrics;
  let sut: KafkaBatchMetrics;
  const lag = async () => (await metrics.kafkaConsumerLag.get()).values.map(({ value }) => value);

  beforeEach(() => {
    metrics = new SignalMetrics();
    sut = new KafkaBatchMetrics(metrics);
  });

  it('should report the lag from the first message of an arriving batch, and its size', async () => {
    sut.batchArrived(aBatch(['40', '41', '42'], 50n));

    expect(await lag()).toEqual([10]);
    const sizes = await metrics.kafkaBatchSize.get();
    const sizeSum = sizes.values.find(({ metricName }) => metricName?.endsWith('_sum'));
    expect(sizeSum?.value).toBe(3);
  });

  it('should report the lag from the next offset once committed', async () => {
    const batch = aBatch(['40', '41', '42'], 50n);
    sut.batchArrived(batch);

    sut.committed(batch, 43n);

    expect(await lag()).toEqual([7]);
  });

  it('should forget every partition’s lag when the group is joined again', async () => {
    sut.batchArrived(aBatch(['40'], 50n));

    sut.groupJoined();

    expect(await lag()).toEqual([]);
  });
});
