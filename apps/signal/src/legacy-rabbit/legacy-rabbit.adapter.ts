import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SignalConfig } from '../config/signal-config';
import { LegacyEventService } from './legacy-event.service';
import { LegacyProcessedEventsPruner } from './legacy-processed-events.pruner';
import { LegacyRabbitBroker } from './legacy-rabbit.broker';
import { LegacySchedulePoller } from './legacy-schedule.poller';

/**
 * Starts the adapter with the app when RABBITMQ_ENABLED; on shutdown stops consuming and lets
 * in-flight events finish while the Producer (this app's HTTP server) is still up.
 */
@Injectable()
export class LegacyRabbitAdapter implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(LegacyRabbitAdapter.name);

  constructor(
    private readonly config: SignalConfig,
    private readonly broker: LegacyRabbitBroker,
    private readonly events: LegacyEventService,
    private readonly poller: LegacySchedulePoller,
    private readonly pruner: LegacyProcessedEventsPruner,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.rabbitmq.enabled) return;
    await this.broker.start({
      ingress: (message) => this.events.ingest(message),
      delivery: (message) => this.events.deliver(message),
    });
    this.poller.start();
    this.pruner.start();
    this.logger.log(
      `consuming legacy V1 events: ${this.config.rabbitmq.queue} bound with "${this.config.legacy.bindingPattern}"`,
    );
  }

  async onModuleDestroy(): Promise<void> {
    if (!this.config.rabbitmq.enabled) return;
    await this.poller.stop();
    await this.pruner.stop();
    await this.broker.close();
  }
}
