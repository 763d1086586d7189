import { createHash, randomUUID } from 'node:crypto';
import { HttpStatus, Injectable } from '@nestjs/common';
import {
  PhxChannels,
  PhxNotificationSettingRepository,
  PhxPushRequestRepository,
  PhxStoredRequest,
} from '@signal/persistence';
import { NotificationType } from 'phx-node';
import { decideDelivery } from './delivery-decision';
import { EmitRequest } from './emit-request';
import { PhxHandOffPublisher } from './phx-hand-off.publisher';

/** The Producer's answer: 202 when accepted, 200 when it decided nothing goes out. */
export interface EmitAnswer {
  httpStatus: HttpStatus.OK | HttpStatus.ACCEPTED;
  body: { status: 'accepted' | 'not_delivered'; message: string; id: string };
}

// The width of phx_push_requests.idempotency_key.
const STORED_KEY_MAX = 128;

/** Keys up to the column's width are stored as sent; longer ones (up to 255) as their digest. */
function storedIdempotencyKey(key: string | undefined): string {
  if (key === undefined) return randomUUID();
  if (key.length <= STORED_KEY_MAX) return key;
  return `sha256:${createHash('sha256').update(key).digest('hex')}`;
}

function answerOf(request: PhxStoredRequest): EmitAnswer {
  if (!request.accepted) {
    return {
      httpStatus: HttpStatus.OK,
      body: { status: 'not_delivered', message: request.reason ?? 'not delivered', id: request.id },
    };
  }
  const channels = PhxChannels.filter((channel) => request.handedChannels.includes(channel));
  return {
    httpStatus: HttpStatus.ACCEPTED,
    body: {
      status: 'accepted',
      message: `accepted for delivery through ${channels.join(', ')}`,
      id: request.id,
    },
  };
}

/**
 * The PHX Producer (SPEC §4): decides by the action code's setting and the user's mutes, stores
 * the request with one delivery row per channel, and hands accepted ones to the Consumer. A
 * repeated idempotency key gets the first answer and changes nothing.
 */
@Injectable()
export class PhxProducerService {
  constructor(
    private readonly settings: PhxNotificationSettingRepository,
    private readonly requests: PhxPushRequestRepository,
    private readonly handOffs: PhxHandOffPublisher,
  ) {}

  async emit({ payload, idempotencyKey }: EmitRequest): Promise<EmitAnswer> {
    const userId = String(payload.user_id);
    const { setting, mutedChannels } = await this.settings.findForUser(payload.action_code, userId);
    const decision = decideDelivery(payload, setting, mutedChannels);
    const { request, created } = await this.requests.insertOnce(
      {
        idempotencyKey: storedIdempotencyKey(idempotencyKey),
        userId,
        studentId: payload.student_id ?? null,
        type: payload.type ?? NotificationType.SYSTEM,
        actionCode: payload.action_code,
        hostname: payload.hostname,
        payload: { ...payload },
        status: decision.status,
        reason: decision.reason,
      },
      decision.deliveries,
    );
    if (created && request.accepted) this.handOffs.handOff({ id: request.id, userId });
    return answerOf(request);
  }
}
