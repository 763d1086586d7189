import { Injectable, Logger } from '@nestjs/common';
import { LegacyEventRepository, LegacyScheduledEvent } from '@signal/persistence';
import { SignalConfig } from '../config/signal-config';
import { CorrelationContext } from '../logging/correlation-context';
import { LEGACY_PUBLISH_TIMEOUT_MS, LegacyRabbitBroker } from './legacy-rabbit.broker';
import { errorMessage } from '../common/error-message';

const BATCH = 100;
// Longer than publishing a batch can take (the publisher's confirm timeout): a claim runs out
// only when its releaser died.
const CLAIM_LEASE_MS = 2 * LEGACY_PUBLISH_TIMEOUT_MS;

/**
 * Releases scheduled legacy events into the priority queue once due. The schedule lives in
 * PostgreSQL, so it survives restarts; several instances share it: each due event is claimed
 * for one of them, published, then forgotten, with no transaction open while RabbitMQ confirms.
 */
@Injectable()
export class LegacySchedulePoller {
  private readonly logger = new Logger(LegacySchedulePoller.name);
  private timer?: NodeJS.Timeout;
  private running: Promise<void> = Promise.resolve();
  private stopped = true;

  constructor(
    private readonly config: SignalConfig,
    private readonly events: LegacyEventRepository,
    private readonly broker: LegacyRabbitBroker,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.releaseDue().finally(() => this.schedule());
    }, this.config.legacy.schedulePollMs);
  }

  private async releaseDue(): Promise<void> {
    try {
      let claimed: LegacyScheduledEvent[];
      do {
        claimed = await this.events.claimDue(BATCH, CLAIM_LEASE_MS);
        const published = await Promise.allSettled(
          claimed.map((event) =>
            // Released under the id it came with, which the delivery stage then logs under.
            CorrelationContext.run(event.correlationId ?? undefined, () =>
              this.broker.enqueueForDelivery(Buffer.from(event.body, 'utf8'), {
                eventKey: event.eventKey,
                priority: event.priority,
                routingKey: event.routingKey,
              }),
            ),
          ),
        );
        const released = claimed.filter((_, n) => published[n].status === 'fulfilled');
        await this.events.forget(released.map((event) => event.eventKey));
        if (released.length > 0) this.logger.log(`released ${released.length} scheduled events`);
        const failed = published.find((result) => result.status === 'rejected');
        if (failed) {
          this.logger.warn(
            `${claimed.length - released.length} scheduled events not released (${errorMessage(failed.reason)}); retried in ${CLAIM_LEASE_MS} ms`,
          );
        }
      } while (claimed.length === BATCH && !this.stopped);
    } catch (error) {
      this.logger.error(`scheduled events not released: ${errorMessage(error)}; next poll retries`);
    }
  }
}
