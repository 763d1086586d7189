import { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { Server, ServerOptions } from 'socket.io';
import { coalesceWebSocketFrames } from './coalesced-frames';
import { skippingOwnBroadcasts } from './own-broadcasts';
import { SocketRedisConnection } from './socket-redis.connection';

/** Socket.IO over the Redis adapter, so rooms and emits span every Signal instance. */
export class RedisIoAdapter extends IoAdapter {
  constructor(
    app: INestApplicationContext,
    private readonly redis: SocketRedisConnection,
    private readonly key: string,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server = super.createIOServer(port, options);
    server.adapter(
      skippingOwnBroadcasts(
        createAdapter(this.redis.publisher, this.redis.subscriber, { key: this.key }),
      ),
    );
    coalesceWebSocketFrames(server);
    return server;
  }
}
