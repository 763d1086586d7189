import { BeforeApplicationShutdown, Injectable, OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { Server } from 'node:http';

// Once the drains are done, a connection is closed this soon after its last answer.
const CLOSING_KEEP_ALIVE_MS = 1;

/**
 * Stops the consumer transports first when the app closes. Nest would close Socket.IO before the
 * microservices, while a Kafka batch still has notifications to push; it runs its destroy hooks
 * before either, and this one (the root module's) before any other, so the order is: stop
 * fetching, finish and commit the in-flight batches, finish the sends they started (the PHX
 * Consumer's own destroy hook), stop the channel thread (before shutdown), then sockets and HTTP,
 * then the database.
 */
@Injectable()
export class TransportDrainService implements OnModuleDestroy, BeforeApplicationShutdown {
  private readonly transports: { close(): unknown }[] = [];

  constructor(private readonly http: HttpAdapterHost) {}

  register(transport: { close(): unknown }): void {
    this.transports.push(transport);
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.transports.map((transport) => transport.close()));
  }

  /**
   * Closing the HTTP server ends the idle keep-alive connections only: one busy at that moment
   * would otherwise stay open for the whole keep-alive timeout (65 s) after its answer, and hold
   * the close up past the shutdown deadline.
   */
  beforeApplicationShutdown(): void {
    const server = this.http.httpAdapter?.getHttpServer() as Server | undefined;
    if (server) server.keepAliveTimeout = CLOSING_KEEP_ALIVE_MS;
  }
}
