import { Injectable, Logger } from '@nestjs/common';
import { LegacyEventRepository, LegacyRoleDirectoryRepository } from '@signal/persistence';
import { ConsumeMessage } from 'amqplib';
import pLimit from 'p-limit';
import {
  PHXPushNotificationService,
  PhxPushErrorCode,
  PhxPushException,
  PhxPushHttpException,
} from 'phx-node';
import { SignalConfig } from '../config/signal-config';
import { CorrelationContext } from '../logging/correlation-context';
import { LegacyEventDto } from './legacy-event.dto';
import { parseLegacyEvent } from './legacy-event.parser';
import {
  LEGACY_AMQP_PRIORITY,
  legacyIdempotencyKey,
  toPhxPayload,
} from './legacy-notification.mapper';
import { LegacyOutcome, LegacyRabbitBroker } from './legacy-rabbit.broker';
import { errorMessage } from '../common/error-message';

const ACK: LegacyOutcome = { kind: 'ack' };
// Answers worth trying again later: the Producer was busy or timed out waiting for the request.
const TRANSIENT_HTTP_STATUSES = new Set([408, 429]);

class RefusedForUser extends Error {
  constructor(
    readonly userId: string,
    cause: PhxPushException,
  ) {
    super(`user ${userId}: ${cause.message}`);
  }
}

/**
 * A refusal sending again cannot change: invalid payload, an unaccepted key, any other 4xx.
 * Network errors and 5xx (`PRODUCER_UNAVAILABLE`, after the client's own retries) may pass later.
 */
function isRefusal(error: unknown): error is PhxPushException {
  if (!(error instanceof PhxPushException)) return false;
  if (error.code === PhxPushErrorCode.PRODUCER_UNAVAILABLE) return false;
  const status = error instanceof PhxPushHttpException ? error.status : null;
  return status === null || !TRANSIENT_HTTP_STATUSES.has(status);
}

/**
 * The rules of the legacy V1 adapter, one method per stage of {@link LegacyRabbitBroker}.
 *
 * - Ingress: the envelope is validated (seed 003); a future `scheduledAt` parks the event in
 *   PostgreSQL (the poller releases it when due); the rest goes to the priority queue.
 * - An event is known by its key: its `eventId`, else the hash of its canonical body (the
 *   seed's minimum envelope has no `eventId`). Each stage runs under the event's correlation id
 *   (set by the broker), which the Producer stores with each request.
 * - Delivery: an event already in `legacy_processed_events` is only acked. Targets are
 *   `targetUsers` ∪ members of `targetRoles`, once each, resolved when the event is delivered.
 *   Each user gets one `PHXPushNotificationService.send` with idempotency key
 *   `legacy-v1:sha256(event key, userId)`, so a redelivery after a crash or a lost ack is
 *   answered by the Producer without a second notification. An event the Producer could not
 *   take now (network, 5xx) is retried later with backoff while the events behind it go on; a
 *   refusal (4xx) dead-letters it once every other user was served. A database outage gives the
 *   event back to its queue (every event would fail alike).
 */
@Injectable()
export class LegacyEventService {
  private readonly logger = new Logger(LegacyEventService.name);

  constructor(
    private readonly config: SignalConfig,
    private readonly broker: LegacyRabbitBroker,
    private readonly events: LegacyEventRepository,
    private readonly roles: LegacyRoleDirectoryRepository,
    private readonly phx: PHXPushNotificationService,
  ) {}

  async ingest(message: ConsumeMessage): Promise<LegacyOutcome> {
    const parsed = parseLegacyEvent(message.content);
    if (!parsed.ok) return { kind: 'dead-letter', reason: parsed.reason };
    const { event, key } = parsed;
    const { payload } = event;
    const priority = LEGACY_AMQP_PRIORITY[payload.notification.priority];
    const dueAt = payload.notification.scheduledAt && new Date(payload.notification.scheduledAt);
    if (dueAt && dueAt.getTime() > Date.now()) {
      const scheduled = await this.events.schedule({
        eventKey: key,
        dueAt,
        priority,
        body: message.content.toString('utf8'),
        routingKey: message.fields.routingKey,
        correlationId: CorrelationContext.current() ?? null,
      });
      this.logger.log(
        `event ${key} ${scheduled ? 'scheduled' : 'already scheduled'} for ${dueAt.toISOString()}`,
      );
      return ACK;
    }
    await this.broker.enqueueForDelivery(message.content, {
      eventKey: key,
      priority,
      routingKey: message.fields.routingKey,
    });
    return ACK;
  }

  async deliver(message: ConsumeMessage): Promise<LegacyOutcome> {
    const parsed = parseLegacyEvent(message.content);
    if (!parsed.ok) return { kind: 'dead-letter', reason: parsed.reason };
    const { event, key } = parsed;
    if (await this.events.isProcessed(key)) {
      this.logger.log(`event ${key} was delivered before: acknowledged only`);
      return ACK;
    }
    const users = await this.targetsOf(event);
    if (users.length === 0) {
      const roles = event.payload.notification.targetRoles ?? [];
      return {
        kind: 'dead-letter',
        reason: `no target: targetUsers is empty and targetRoles [${roles.join(', ')}] have no members`,
      };
    }
    const limit = pLimit(this.config.legacy.deliveryConcurrency);
    const outcomes = await Promise.allSettled(
      users.map((userId) => limit(() => this.send(event, key, userId))),
    );
    const failures = outcomes.flatMap((outcome) =>
      outcome.status === 'rejected' ? [outcome.reason as unknown] : [],
    );
    const unavailable = failures.find((failure) => !(failure instanceof RefusedForUser));
    // Users served are answered again without a second notification (idempotency keys).
    if (unavailable !== undefined) return { kind: 'retry', reason: errorMessage(unavailable) };
    const refused = failures.map((failure) => (failure as RefusedForUser).message);
    if (refused.length > 0) {
      return {
        kind: 'dead-letter',
        reason: `the Producer refused ${refused.length} of ${users.length} users: ${refused.join('; ')}`,
      };
    }
    const notDelivered = outcomes.flatMap((outcome) =>
      outcome.status === 'fulfilled' && outcome.value.status === 'not_delivered'
        ? [outcome.value.message]
        : [],
    );
    if (notDelivered.length > 0) {
      this.logger.warn(
        `event ${key}: the Producer did not deliver to ${notDelivered.length} of ${users.length} users (${notDelivered[0]})`,
      );
    }
    await this.events.markProcessed(key, event.eventType, users.length);
    this.logger.log(`event ${key} (${event.eventType}) sent to ${users.length} users`);
    return ACK;
  }

  /** `targetUsers` first, in their order, then role members not already named. */
  private async targetsOf(event: LegacyEventDto): Promise<string[]> {
    const { targetUsers = [], targetRoles = [] } = event.payload.notification;
    const members = await this.roles.distinctMembers(targetRoles);
    return [...new Set([...targetUsers, ...members])];
  }

  private async send(event: LegacyEventDto, eventKey: string, userId: string) {
    try {
      return await this.phx.send(toPhxPayload(event, userId, this.config.legacy), {
        idempotencyKey: legacyIdempotencyKey(eventKey, userId),
        correlationId: CorrelationContext.current(),
      });
    } catch (error) {
      throw isRefusal(error) ? new RefusedForUser(userId, error) : error;
    }
  }
}
