import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { PhxDeliveryRepository } from '@signal/persistence';
import pLimit from 'p-limit';
import { SignalConfig } from '../../config/signal-config';
import { PhxRequestDeliverer } from './phx-request.deliverer';

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
  private readonly pollMs: number;
  private readonly limit: pLimit.Limit;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    config: SignalConfig,
    private readonly deliveries: PhxDeliveryRepository,
    private readonly deliverer: PhxRequestDeliverer,
  ) {
    this.enabled = config.kafka.enabled;
    this.pollMs = Math.min(config.phx.retryInitialMs, MAX_POLL_MS);
    this.limit = pLimit(config.phx.deliveryConcurrency);
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    this.timer = setInterval(() => {
      this.running ??= this.runDue().finally(() => (this.running = null));
    }, this.pollMs);
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One pass over what is due; stops starting new deliveries once the module is shutting down. */
  private async runDue(): Promise<void> {
    let due: string[];
    try {
      due = await this.deliveries.dueRequestIds(BATCH);
    } catch (error) {
      this.logger.warn(`cannot read due deliveries: ${(error as Error).message}`);
      return;
    }
    await Promise.all(
      due.map((requestId) =>
        this.limit(async () => {
          if (!this.timer) return;
          try {
            await this.deliverer.deliver(requestId);
          } catch (error) {
            this.logger.warn(`retry of ${requestId} failed: ${(error as Error).message}`);
          }
        }),
      ),
    );
  }
}
