import { Injectable } from '@nestjs/common';
import { assertValidRoomName, assertValidTopic, InvalidEmitTargetError } from '@signal/core';
import { SignalConfig } from '../../config/signal-config';
import { SignalErrorCode, SignalException } from '../../common/signal.exception';
import { SignalMetrics } from '../../metrics/signal-metrics';
import { SignalGateway } from '../socket/signal.gateway';

/** Emits a caller-chosen topic and payload to everyone, a room or one connection, on every instance. */
@Injectable()
export class SignalEventService {
  constructor(
    private readonly config: SignalConfig,
    private readonly gateway: SignalGateway,
    private readonly metrics: SignalMetrics,
  ) {}

  broadcast(topic: string, payload: object): void {
    this.check(topic, payload);
    this.gateway.server.emit(topic, payload);
    this.metrics.recordSocketEmit(topic);
  }

  sendToRoom(room: string, topic: string, payload: object): void {
    this.check(topic, payload, room);
    this.gateway.server.to(room).emit(topic, payload);
    this.metrics.recordSocketEmit(topic);
  }

  /** Unlike rooms, a client id names one connection: 404 when no instance has it. */
  async sendToClient(clientId: string, topic: string, payload: object): Promise<void> {
    this.check(topic, payload, clientId);
    const sockets = await this.gateway.server.in(clientId).fetchSockets();
    if (!sockets.some((socket) => socket.id === clientId)) {
      throw new SignalException(SignalErrorCode.NOT_FOUND, `client ${clientId} is not connected`);
    }
    this.gateway.server.to(clientId).emit(topic, payload);
    this.metrics.recordSocketEmit(topic);
  }

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
  }
}
