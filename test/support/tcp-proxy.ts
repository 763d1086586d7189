import { createServer, Server, Socket } from 'node:net';

/**
 * A loopback TCP proxy a test can cut and restore, to take a real dependency away from the app
 * and give it back without touching the shared service other test files use.
 */
export class TcpProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private readonly pairs = new Set<[Socket, Socket]>();
  private listenPort = 0;
  private acceptedCount = 0;
  private stalled = false;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  get port(): number {
    return this.listenPort;
  }

  /** Client connections accepted since the proxy was created. */
  get accepted(): number {
    return this.acceptedCount;
  }

  async start(): Promise<void> {
    this.stalled = false;
    const server = createServer((client) => {
      this.acceptedCount++;
      this.track(client);
      client.on('error', () => client.destroy());
      // Stalled: the connection is taken and never answered.
      if (this.stalled) return;
      const upstream = new Socket();
      this.track(upstream);
      upstream.connect(this.targetPort, this.targetHost);
      client.pipe(upstream).pipe(client);
      const pair: [Socket, Socket] = [client, upstream];
      this.pairs.add(pair);
      const closeBoth = () => {
        this.pairs.delete(pair);
        client.destroy();
        upstream.destroy();
      };
      client.on('error', closeBoth).on('close', closeBoth);
      upstream.on('error', closeBoth).on('close', closeBoth);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      // The same port on restart, so the app's connection string stays valid.
      server.listen(this.listenPort, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (address && typeof address === 'object') this.listenPort = address.port;
    this.server = server;
  }

  /**
   * A dependency that hangs rather than refuses: new connections are accepted and never answered,
   * and nothing more passes on the open ones. `stop()` then `start()` to end it.
   */
  stall(): void {
    this.stalled = true;
    for (const [client, upstream] of this.pairs) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
    }
  }

  /** Refuses new connections and cuts the open ones. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    this.pairs.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
  }
}
