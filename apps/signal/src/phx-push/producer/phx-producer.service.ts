import { randomUUID } from 'node:crypto';
import { HttpStatus, Injectable } from '@nestjs/common';
import {
  isDataRefusedByDatabase,
  PhxNotificationSettingRepository,
  phxProducerAnswer,
  PhxPushRequestRepository,
  PhxStoredRequest,
} from '@signal/persistence';
import { NotificationType } from 'phx-node';
import {
  dependencyUnavailable,
  SignalErrorCode,
  SignalException,
} from '../../common/signal.exception';
import { sha256Key } from '../../common/content-key';
import { SignalConfig, UnconfiguredActionCodePolicy } from '../../config/signal-config';
import { CorrelationContext } from '../../logging/correlation-context';
import { SignalMetrics } from '../../metrics/signal-metrics';
import { decideDelivery, NO_SETTING_DEFAULT } from './delivery-decision';
import { EmitRequest } from './emit-request';
import { MicroBatcher, MicroBatcherFullError, MicroBatcherTimeoutError } from './micro-batcher';
import { PhxHandOffPublisher } from './phx-hand-off.publisher';

/** The Producer's answer: 202 when accepted, 200 when it decided nothing goes out. */
export interface EmitAnswer {
  httpStatus: HttpStatus.OK | HttpStatus.ACCEPTED;
  body: { status: 'accepted' | 'not_delivered'; message: string; id: string };
}

/** A request in a batch: the batch runs outside each request's own correlation context. */
interface BatchedEmit extends EmitRequest {
  correlationId: string | undefined;
}

// Requests per lookup and insert statement.
const MAX_BATCH = 200;
// The width of phx_push_requests.idempotency_key.
const STORED_KEY_MAX = 128;

/** Keys up to the column's width are stored as sent; longer ones (up to 255) as their digest. */
function storedIdempotencyKey(key: string | undefined): string {
  if (key === undefined) return randomUUID();
  if (key.length <= STORED_KEY_MAX) return key;
  return sha256Key(key);
}

function emitAnswerOf({ id, answer }: PhxStoredRequest): EmitAnswer {
  return {
    httpStatus: answer.status === 'accepted' ? HttpStatus.ACCEPTED : HttpStatus.OK,
    body: { status: answer.status, message: answer.message, id },
  };
}

/**
 * The PHX Producer (SPEC §4): decides by the action code's setting (without one, by
 * `PHX_UNCONFIGURED_ACTION_CODES`: every channel by default) and the user's mutes, stores
 * the request with one delivery row per channel and the answer it gives, and hands accepted ones
 * to the Consumer. A repeated idempotency key gets that first answer and changes nothing.
 * Concurrent requests are decided and stored in batches: a few round trips per batch, not per
 * request; a request PostgreSQL refuses fails alone, and beyond `PHX_PRODUCER_QUEUE_LIMIT`
 * waiting requests new ones are turned away (503) rather than held in memory.
 */
@Injectable()
export class PhxProducerService {
  private readonly batcher: MicroBatcher<
    BatchedEmit,
    { request: PhxStoredRequest; created: boolean }
  >;
  private readonly unconfigured: UnconfiguredActionCodePolicy;

  constructor(
    config: SignalConfig,
    private readonly settings: PhxNotificationSettingRepository,
    private readonly requests: PhxPushRequestRepository,
    private readonly handOffs: PhxHandOffPublisher,
    private readonly metrics: SignalMetrics,
  ) {
    this.unconfigured = config.phx.unconfiguredActionCodes;
    this.batcher = new MicroBatcher((batch) => this.decideAndStore(batch), {
      maxBatch: MAX_BATCH,
      // Half the pool: batches in flight never starve the rest of the app of connections.
      maxInFlight: Math.max(1, Math.floor(config.database.poolSize / 2)),
      maxWaiting: config.phx.producerQueueLimit,
      // A batch slot is a share of the pool: waiting for one is waiting for a connection.
      maxWaitMs: config.database.connectTimeoutMs,
      // One insert statement per batch: it wrote nothing when PostgreSQL refused a value of it.
      isTiedToItems: isDataRefusedByDatabase,
    });
  }

  async emit(request: EmitRequest): Promise<EmitAnswer> {
    const correlationId = CorrelationContext.current();
    const { request: stored, created } = await this.batch({ ...request, correlationId });
    if (created && stored.answer.status === 'accepted') {
      this.handOffs.handOff({
        id: stored.id,
        userId: stored.userId,
        correlationId,
      });
    }
    this.metrics.phxProducerRequests.inc({ outcome: created ? stored.answer.status : 'duplicate' });
    return emitAnswerOf(stored);
  }

  private async batch(request: BatchedEmit) {
    try {
      return await this.batcher.run(request);
    } catch (error) {
      if (error instanceof MicroBatcherFullError) {
        throw new SignalException(
          SignalErrorCode.OVERLOADED,
          `the Producer has ${error.waiting} requests waiting for the database; retry later`,
        );
      }
      if (error instanceof MicroBatcherTimeoutError) throw dependencyUnavailable('postgresql');
      throw error;
    }
  }

  /** One lookup and one insert for all requests of a batch. */
  private async decideAndStore(requests: BatchedEmit[]) {
    const lookups = await this.settings.findForUsers(
      requests.map(({ payload }) => ({
        actionCode: payload.action_code,
        userId: String(payload.user_id),
      })),
    );
    return this.requests.insertOnce(
      requests.map(({ payload, idempotencyKey, correlationId }, index) => {
        const { setting, mutedChannels } = lookups[index];
        const decision = decideDelivery(payload, setting, mutedChannels, this.unconfigured);
        const handed = decision.deliveries.filter((d) => d.status === 'pending');
        return {
          request: {
            idempotencyKey: storedIdempotencyKey(idempotencyKey),
            userId: String(payload.user_id),
            studentId: payload.student_id ?? null,
            type: payload.type ?? NotificationType.SYSTEM,
            actionCode: payload.action_code,
            hostname: payload.hostname,
            payload: { ...payload },
            status: decision.status,
            reason: decision.reason,
            decidedBy: decision.decidedBy,
            correlationId: correlationId ?? null,
            // The caller learns that its code is unconfigured (seed 004's checklist asks for one).
            answer: phxProducerAnswer(
              handed.map((d) => d.channel),
              decision.reason,
              setting ? null : NO_SETTING_DEFAULT,
            ),
          },
          deliveries: decision.deliveries,
        };
      }),
    );
  }
}
