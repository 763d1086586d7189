import { Injectable, Logger } from '@nestjs/common';
import { LegacyEventRepository } from '@signal/persistence';
import { SignalConfig } from '../config/signal-config';
import { CorrelationContext } from '../logging/correlation-context';
import { LegacyRabbitBroker } from './legacy-rabbit.broker';
import { errorMessage } from '../common/error-message';

const BATCH = 100;

/**
 * Releases scheduled legacy events into the priority queue once due. The schedule lives in
 * PostgreSQL, so it survives restarts; several instances share it (rows are locked while one
 * instance releases them).
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
      let released: number;
      do {
        released = await this.events.releaseDue(BATCH, (due) =>
          Promise.all(
            due.map((event) =>
              // Released under the id it came with, which the delivery stage then logs under.
              CorrelationContext.run(event.correlationId ?? undefined, () =>
                this.broker.enqueueForDelivery(Buffer.from(event.body, 'utf8'), {
                  eventId: event.eventId,
                  priority: event.priority,
                  routingKey: event.routingKey,
                }),
              ),
            ),
          ).then(() => undefined),
        );
        if (released > 0) this.logger.log(`released ${released} scheduled events`);
      } while (released === BATCH && !this.stopped);
    } catch (error) {
      this.logger.error(`scheduled events not released: ${errorMessage(error)}; next poll retries`);
    }
  }
}
