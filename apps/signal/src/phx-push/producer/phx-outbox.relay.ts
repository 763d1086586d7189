import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { PhxPushRequestRepository } from '@signal/persistence';
import { SignalConfig } from '../../config/signal-config';
import { PhxHandOffPublisher } from './phx-hand-off.publisher';
import { errorMessage } from '../../common/error-message';
import { PeriodicWork } from '../../common/periodic-work';

const BATCH = 500;

/**
 * Hands off accepted requests whose hand-off was never acknowledged (Kafka away, a crash right
 * after the commit). Handing one off twice is harmless: the Consumer is idempotent.
 */
@Injectable()
export class PhxOutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(PhxOutboxRelay.name);
  private readonly intervalMs: number;
  private readonly afterMs: number;
  private readonly periodic: PeriodicWork;

  constructor(
    config: SignalConfig,
    private readonly requests: PhxPushRequestRepository,
    private readonly publisher: PhxHandOffPublisher,
  ) {
    this.intervalMs = config.phx.outboxIntervalMs;
    this.afterMs = config.phx.outboxAfterMs;
    this.periodic = new PeriodicWork(() => this.relay(), this.intervalMs);
  }

  onApplicationBootstrap(): void {
    this.periodic.start();
  }

  /** Before the publisher disconnects (that happens in the shutdown hooks that follow). */
  onModuleDestroy(): Promise<void> {
    return this.periodic.stop();
  }

  private async relay(): Promise<void> {
    try {
      for (;;) {
        const due = await this.requests.awaitingHandOff(this.afterMs, BATCH);
        if (due.length === 0) return;
        await this.publisher.publish(due);
        this.logger.log(`handed off ${due.length} request(s) whose hand-off was missing`);
        if (due.length < BATCH) return;
      }
    } catch (error) {
      const reason = errorMessage(error);
      this.logger.warn(`outbox relay failed (${reason}); next try in ${this.intervalMs} ms`);
    }
  }
}
