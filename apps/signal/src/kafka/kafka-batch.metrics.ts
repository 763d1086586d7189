import { SignalMetrics } from '../metrics/signal-metrics';
import { FetchedBatch } from './kafka-client';

/** What the batch transport counts: batch sizes and durations, lag per partition, dead letters. */
export class KafkaBatchMetrics {
  constructor(private readonly metrics: SignalMetrics) {}

  /** A batch arrived: its size and its partition's lag are recorded; the answer stops its timer. */
  batchArrived(batch: FetchedBatch): () => void {
    this.metrics.kafkaBatchSize.observe({ topic: batch.topic }, batch.messages.length);
    this.reportLag(batch, BigInt(batch.messages[0].offset));
    return this.metrics.kafkaBatchDuration.startTimer({ topic: batch.topic });
  }

  /** Messages up to `next` (excluded) are committed. */
  committed(batch: FetchedBatch, next: bigint): void {
    this.reportLag(batch, next);
  }

  /** After a rebalance, partitions another member took over must stop showing this member's lag. */
  groupJoined(): void {
    this.metrics.kafkaConsumerLag.reset();
  }

  deadLettered(topic: string, errorClass: string): void {
    this.metrics.kafkaDeadLetters.inc({ topic, error_class: errorClass });
  }

  /** Lag as of this batch's fetch: the partition's log end offset minus the next offset to process. */
  private reportLag(batch: FetchedBatch, nextOffset: bigint): void {
    this.metrics.kafkaConsumerLag.set(
      { topic: batch.topic, partition: batch.partition },
      Number(batch.highWatermark() - nextOffset),
    );
  }
}
