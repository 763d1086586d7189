import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { ChannelModel, connect } from 'amqplib';
import { SignalConfig } from '../config/signal-config';
import { DependencyHealthIndicator } from './dependency.health-indicator';

// Named in the broker's connection list (rabbitmqctl list_connections client_properties).
const CONNECTION_NAME = 'signal-readiness';
// A half-open connection (the broker's host gone) is noticed within two of these.
const HEARTBEAT_S = '10';

/**
 * Up when a channel opens on one long-lived AMQP connection of its own (the adapter's may be off,
 * and reconnects on its own schedule). The connection is dropped when it closes or a probe fails,
 * and opened again by the next probe.
 */
@Injectable()
export class RabbitmqHealthIndicator extends DependencyHealthIndicator implements OnModuleDestroy {
  protected readonly key = 'rabbitmq';
  private connection: Promise<ChannelModel> | null = null;

  constructor(config: SignalConfig, health: HealthIndicatorService) {
    super(config, health);
  }

  protected async probe(): Promise<Record<string, unknown>> {
    const connection = await (this.connection ??= this.connect());
    const channel = await connection.createChannel();
    await channel.close();
    return {};
  }

  protected override async afterFailure(): Promise<void> {
    const connection = this.connection;
    this.connection = null;
    await connection?.then((open) => open.close()).catch(() => undefined);
  }

  async onModuleDestroy(): Promise<void> {
    await this.afterFailure();
  }

  private connect(): Promise<ChannelModel> {
    const url = new URL(this.config.rabbitmq.url);
    if (!url.searchParams.has('heartbeat')) url.searchParams.set('heartbeat', HEARTBEAT_S);
    const connecting = connect(url.toString(), {
      timeout: this.config.health.timeoutMs,
      clientProperties: { connection_name: CONNECTION_NAME },
    }).then((connection) => {
      // Closed by the broker or a lost heartbeat: the next probe opens a new one.
      const forget = () => {
        if (this.connection === connecting) this.connection = null;
      };
      connection.on('close', forget);
      connection.on('error', forget);
      return connection;
    });
    return connecting;
  }
}
