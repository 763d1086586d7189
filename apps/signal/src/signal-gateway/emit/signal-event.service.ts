import { Injectable } from '@nestjs/common';
import { assertValidRoomName, assertValidTopic, InvalidEmitTargetError } from '@signal/core';
import { RemoteSocket, Server } from 'socket.io';
import { SignalConfig } from '../../config/signal-config';
import { errorMessage } from '../../common/error-message';
import {
  dependencyUnavailable,
  SignalErrorCode,
  SignalException,
} from '../../common/signal.exception';
import { SignalMetrics } from '../../metrics/signal-metrics';
import { SignalGateway } from '../socket/signal.gateway';
import { SocketRedisConnection } from '../socket/socket-redis.connection';

/**
 * Emits a caller-chosen topic and payload to everyone, a room or one connection, on every
 * instance. While Redis is unreachable the emit could reach this instance's sockets only, so
 * it is refused (503 `DEPENDENCY_UNAVAILABLE`) for the caller to retry, rather than half done.
 */
@Injectable()
export class SignalEventService {
  constructor(
    private readonly config: SignalConfig,
    private readonly gateway: SignalGateway,
    private readonly redis: SocketRedisConnection,
    private readonly metrics: SignalMetrics,
  ) {}

  /** Callers choose the topics and payloads: the gateway's server without its event map. */
  private get server(): Server {
    return this.gateway.server;
  }

  broadcast(topic: string, payload: object): void {
    this.check(topic, payload);
    this.server.emit(topic, payload);
    this.metrics.recordSocketEmit(topic);
  }

  sendToRoom(room: string, topic: string, payload: object): void {
    this.check(topic, payload, room);
    this.server.to(room).emit(topic, payload);
    this.metrics.recordSocketEmit(topic);
  }

  /** Unlike rooms, a client id names one connection: 404 when no instance has it. */
  async sendToClient(clientId: string, topic: string, payload: object): Promise<void> {
    this.check(topic, payload, clientId);
    let sockets: RemoteSocket<never, unknown>[];
    try {
      sockets = await this.server.in(clientId).fetchSockets();
    } catch (error) {
      // Asking the other instances goes through Redis (and waits for their answers).
      throw dependencyUnavailable(
        'redis',
        `could not ask the Signal instances for client ${clientId}: ${errorMessage(error)}`,
      );
    }
    if (!sockets.some((socket) => socket.id === clientId)) {
      throw new SignalException(SignalErrorCode.NOT_FOUND, `client ${clientId} is not connected`);
    }
    this.server.to(clientId).emit(topic, payload);
    this.metrics.recordSocketEmit(topic);
  }

  /** Bad input first (4xx whatever the state of Redis), then whether the emit can go out. */
  private check(topic: string, payload: object, room?: string): void {
    try {
      assertValidTopic(topic);
      if (room !== undefined) assertValidRoomName(room);
    } catch (error) {
      if (error instanceof InvalidEmitTargetError) {
        throw new SignalException(SignalErrorCode.INVALID_INPUT, error.message);
      }
      throw error;
    }
    const bytes = Buffer.byteLength(JSON.stringify(payload));
    const limit = this.config.gateway.maxPayloadBytes;
    if (bytes > limit) {
      throw new SignalException(
        SignalErrorCode.PAYLOAD_TOO_LARGE,
        `payload is ${bytes} bytes of JSON; the limit is ${limit}`,
      );
    }
    this.redis.assertCanPublish();
  }
}
