import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { PhxDeliveryRepository } from '@signal/persistence';
import { PeriodicWork } from '../../common/periodic-work';
import { SignalConfig } from '../../config/signal-config';
import { PhxRequestDeliverer } from './phx-request.deliverer';
import { errorMessage } from '../../common/error-message';

const BATCH = 100;
// Poll often enough for short backoffs, never busier than this.
const MAX_POLL_MS = 1000;

/**
 * Runs the channels that are due: those that failed transiently, once their backoff is over, and
 * those whose sender died, once their lease is over. Runs where the Kafka Consumer runs; several
 * instances may poll at once, the per-channel claim decides who sends.
 */
@Injectable()
export class PhxDeliveryRetryScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(PhxDeliveryRetryScheduler.name);
  private readonly enabled: boolean;
  private readonly periodic: PeriodicWork;

  constructor(
    config: SignalConfig,
    private readonly deliveries: PhxDeliveryRepository,
    private readonly deliverer: PhxRequestDeliverer,
  ) {
    this.enabled = config.kafka.enabled;
    this.periodic = new PeriodicWork(
      () => this.runDue(),
      Math.min(config.phx.retryInitialMs, MAX_POLL_MS),
    );
  }

  onApplicationBootstrap(): void {
    if (this.enabled) this.periodic.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.periodic.stop();
  }

  /** Runs what is due, batch after batch while full ones come back (a backlog), then waits. */
  private async runDue(): Promise<void> {
    try {
      let due: string[];
      do {
        due = await this.deliveries.dueRequestIds(BATCH);
        if (due.length === 0 || !this.periodic.active) return;
        await this.deliverer.deliverDue(due.map((requestId) => ({ requestId })));
      } while (due.length === BATCH);
    } catch (error) {
      this.logger.warn(`retrying due deliveries failed: ${errorMessage(error)}`);
    }
  }
}
