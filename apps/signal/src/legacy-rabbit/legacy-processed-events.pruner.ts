import { Injectable, Logger } from '@nestjs/common';
import { LegacyEventRepository } from '@signal/persistence';
import { errorMessage } from '../common/error-message';
import { PeriodicWork } from '../common/periodic-work';
import { SignalConfig } from '../config/signal-config';

const BATCH = 10_000;
const INTERVAL_MS = 60 * 60 * 1000;

/**
 * Keeps `legacy_processed_events` bounded: ids of events delivered more than
 * `LEGACY_PROCESSED_RETENTION_DAYS` ago are forgotten, hourly and at start. Several instances
 * may prune at once; each deletes what it finds.
 */
@Injectable()
export class LegacyProcessedEventsPruner {
  private readonly logger = new Logger(LegacyProcessedEventsPruner.name);
  private readonly retentionDays: number;
  private readonly periodic = new PeriodicWork(() => this.prune(), INTERVAL_MS);

  constructor(
    config: SignalConfig,
    private readonly events: LegacyEventRepository,
  ) {
    this.retentionDays = config.legacy.processedRetentionDays;
  }

  start(): void {
    this.periodic.start({ now: true });
  }

  stop(): Promise<void> {
    return this.periodic.stop();
  }

  /** Batch after batch until none is full; answers how many were forgotten. Never throws. */
  async prune(): Promise<number> {
    let total = 0;
    try {
      let pruned: number;
      do {
        pruned = await this.events.pruneProcessed(this.retentionDays, BATCH);
        total += pruned;
      } while (pruned === BATCH);
    } catch (error) {
      this.logger.warn(`pruning processed legacy events failed: ${errorMessage(error)}`);
    }
    if (total > 0) {
      this.logger.log(
        `forgot ${total} legacy events processed over ${this.retentionDays} days ago`,
      );
    }
    return total;
  }
}
