import { Logger } from '@nestjs/common';
import {
  OnGatewayConnection,
  OnGatewayDisconnect,
  OnGatewayInit,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import { CORRELATION_ID_HEADER, NotificationWebSocketRooms } from '@signal/core';
import { inboxOwnerOf } from '../../auth/user-principal';
import { SignalErrorCode, SignalException } from '../../common/signal.exception';
import { SignalConfig } from '../../config/signal-config';
import { CorrelationContext, correlationIdOrNew } from '../../logging/correlation-context';
import { SignalMetrics } from '../../metrics/signal-metrics';
import { NotificationReplayService } from './notification-replay.service';
import { SignalServer, SignalSocket } from './signal-socket';
import { SocketHandshakeService } from './socket-handshake.service';
import { disconnectWhenTokenExpires } from './token-expiry';

type ConnectError = Error & { data: { code: string } };

/**
 * Clients send nothing but the handshake (token and `lastNotificationId` in `auth`): a packet
 * larger than this closes the connection. 16 KB is Node's HTTP header limit, so a token too large
 * for `auth` would not fit in an `Authorization` header either.
 */
export const SOCKET_MAX_PACKET_BYTES = 16 * 1024;

/**
 * Socket.IO on the HTTP port. Authentication runs as Socket.IO middleware: guards do not run
 * on connection, and rooms are joined only after the token is verified.
 */
@WebSocketGateway({ cors: { origin: true }, maxHttpBufferSize: SOCKET_MAX_PACKET_BYTES })
export class SignalGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect {
  private readonly logger = new Logger(SignalGateway.name);

  @WebSocketServer()
  server!: SignalServer;

  /** Refusing new sockets at the cap: logged when it starts, not for every refusal. */
  private atCap = false;

  constructor(
    private readonly config: SignalConfig,
    private readonly handshake: SocketHandshakeService,
    private readonly replay: NotificationReplayService,
    private readonly metrics: SignalMetrics,
  ) {}

  afterInit(server: SignalServer): void {
    this.metrics.socketConnectionLimit.set(this.config.gateway.maxConnections);
    server.use((socket, next) => this.admitUnderCap(server, socket, next));
    server.use((socket, next) => {
      const correlationId = correlationIdOrNew(
        (socket.handshake.auth as Record<string, unknown> | undefined)?.correlationId ??
          socket.handshake.headers[CORRELATION_ID_HEADER],
      );
      // Both outcomes are handled: next() with the session or with the connect_error.
      void CorrelationContext.run(correlationId, () =>
        this.handshake.open(socket).then(
          (session) => {
            socket.data = { ...session, correlationId };
            next();
          },
          (error: unknown) => next(this.refusal(error)),
        ),
      );
    });
  }

  /**
   * Load shedding before any work: every connection holds a file descriptor, and HTTP, health
   * and the consumers need theirs. The count includes this connection and unfinished handshakes.
   */
  private admitUnderCap(
    server: SignalServer,
    socket: SignalSocket,
    next: (error?: Error) => void,
  ): void {
    const limit = this.config.gateway.maxConnections;
    if (server.engine.clientsCount <= limit) {
      this.atCap = false;
      next();
      return;
    }
    if (!this.atCap) {
      this.logger.warn(`${limit} connections open (SIGNAL_MAX_CONNECTIONS): refusing new sockets`);
      this.atCap = true;
    }
    next(
      this.refusal(
        new SignalException(
          SignalErrorCode.SERVER_BUSY,
          'server busy: this instance is at its connection limit; retry later',
        ),
      ),
    );
    // A client need not close a refused connection: free its descriptor once the refusal is out.
    setImmediate(() => socket.conn.close());
  }

  private refusal(error: unknown): ConnectError {
    const refusal = toConnectError(error, this.logger);
    this.metrics.socketRefusals.inc({ code: refusal.data.code });
    return refusal;
  }

  async handleConnection(socket: SignalSocket): Promise<void> {
    // First, before any await: a socket that drops meanwhile still runs handleDisconnect.
    this.metrics.socketConnections.inc();
    const { principal, tokenExpiresAt, replayAfter, correlationId } = socket.data;
    disconnectWhenTokenExpires(socket, tokenExpiresAt);
    await CorrelationContext.run(correlationId, async () => {
      // The seed's activity rooms are one namespace: a user id equal to an organizer id is one room.
      const activityIds = new Set(inboxOwnerOf(principal).recipients.map(({ id }) => id));
      const rooms = [
        ...[...activityIds].map(NotificationWebSocketRooms.recipient),
        NotificationWebSocketRooms.notificationCenterUser(principal.userId),
      ];
      await socket.join(rooms);
      this.logger.log(`socket ${socket.id} of ${principal.userId} joined ${rooms.length} rooms`);
      if (replayAfter !== null) await this.replay.replayTo(socket, principal, replayAfter);
    });
  }

  handleDisconnect(): void {
    this.metrics.socketConnections.dec();
  }
}

function toConnectError(error: unknown, logger: Logger): ConnectError {
  if (error instanceof SignalException) {
    return Object.assign(new Error(error.message), { data: { code: error.code } });
  }
  logger.error(
    `handshake failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  return Object.assign(new Error('handshake failed: internal error'), {
    data: { code: 'INTERNAL' },
  });
}
