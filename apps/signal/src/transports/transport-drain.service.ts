import { Injectable, OnModuleDestroy } from '@nestjs/common';

/**
 * Stops the consumer transports first when the app closes. Nest would close Socket.IO before the
 * microservices, while a Kafka batch still has notifications to push; it runs its destroy hooks
 * before either, and this one (the root module's) before any other, so the order is: stop
 * fetching, finish and commit the in-flight batches, finish the sends they started (the PHX
 * Consumer's own destroy hook), stop the channel thread (before shutdown), then sockets, then
 * the database.
 */
@Injectable()
export class TransportDrainService implements OnModuleDestroy {
  private readonly transports: { close(): unknown }[] = [];

  register(transport: { close(): unknown }): void {
    this.transports.push(transport);
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.transports.map((transport) => transport.close()));
  }
}
