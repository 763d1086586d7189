import { Injectable } from '@nestjs/common';
import { IDEMPOTENCY_KEY_HEADER } from '@signal/core';
import {
  ActivityNotificationRepository,
  ActivityNotificationView,
  isTransientDatabaseError,
  NewActivityNotification,
} from '@signal/persistence';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { validationViolations } from '../common/validation-violations';
import { NotificationSocketEventService } from '../signal-gateway/socket/notification-socket-event.service';
import {
  jsonObjectOf,
  KafkaBatchOutcome,
  KafkaInboundBatch,
  KafkaInboundMessage,
  KafkaRejectedMessage,
  rejection,
} from '../kafka';
import {
  ActivityTemplateRegistry,
  TemplateRenderError,
} from './templates/activity-template.registry';
import { ActivityNotificationMessageDto } from './activity-notification-message.dto';
import { contentKey, sha256Key } from '../common/content-key';
import { errorMessage } from '../common/error-message';
import { truncateText } from '../common/text-excerpt';
import { SignalConfig } from '../config/signal-config';

const DEDUP_KEY_MAX = 128;

/**
 * Activity notifications from Kafka: validate each message, one row per recipient, all rows of
 * the batch in one idempotent insert, then push the new rows and those of a redelivered message
 * created within the replay overlap.
 */
@Injectable()
export class ActivityNotificationHandler {
  constructor(
    private readonly templates: ActivityTemplateRegistry,
    private readonly notifications: ActivityNotificationRepository,
    private readonly sockets: NotificationSocketEventService,
    private readonly config: SignalConfig,
  ) {}

  async handle(batch: KafkaInboundBatch): Promise<KafkaBatchOutcome> {
    const rows: NewActivityNotification[] = [];
    const rejected: KafkaRejectedMessage[] = [];
    for (const message of batch.messages) {
      const prepared = this.prepare(message);
      if ('errorClass' in prepared) rejected.push(prepared);
      else rows.push(...prepared);
    }

    let pushed;
    try {
      const created = await this.notifications.insertIgnoringDuplicates(rows);
      // A row that exists already may never have reached a socket: its instance can have crashed
      // between commit and emit, leaving the message uncommitted for another one to redeliver.
      pushed = [...(await this.existingRecently(rows, created)), ...created];
    } catch (error) {
      const reason = errorMessage(error);
      return { kind: 'retry', transient: isTransientDatabaseError(error), reason };
    }
    // Durable now; pushing is at-least-once (clients dedupe by id) and must not undo the batch
    // (a failed push is logged, not thrown). They are handed to the Redis connection before the
    // transport commits the offset.
    if (pushed.length > 0) this.sockets.notifyActivityNotificationsCreated(pushed);
    return { kind: 'done', rejected };
  }

  /** The rows of `rows` that were there before this insert, created within the replay overlap. */
  private async existingRecently(
    rows: NewActivityNotification[],
    created: ActivityNotificationView[],
  ): Promise<ActivityNotificationView[]> {
    if (created.length === rows.length) return [];
    const createdIds = new Set(created.map((row) => row.id));
    const recent = await this.notifications.findCreatedWithin(
      rows,
      this.config.gateway.replayOverlapMs,
    );
    return recent.filter((row) => !createdIds.has(row.id));
  }

  private prepare(message: KafkaInboundMessage): NewActivityNotification[] | KafkaRejectedMessage {
    const reject = (errorClass: string, reason: string) => rejection(message, errorClass, reason);
    const parsed = jsonObjectOf(message);
    if ('rejected' in parsed) return parsed.rejected;
    const { value } = parsed;
    const dto = validMessage(value);
    if (typeof dto === 'string') return reject('SchemaViolation', dto);
    if (!this.templates.has(dto.eventType)) {
      return reject(
        'UnknownEventType',
        `eventType ${truncateText(dto.eventType, 100)} has no template`,
      );
    }
    let rendered;
    try {
      rendered = this.templates.render(dto.eventType, value);
    } catch (error) {
      if (error instanceof TemplateRenderError)
        return reject(TemplateRenderError.name, error.message);
      throw error;
    }
    const dedupKey = dedupKeyOf(dto, value, message);
    return recipientsOf(dto).map((recipientId) => ({
      dedupKey,
      recipientId,
      type: dto.eventType,
      recipientScope: dto.recipientScope,
      organizerId: dto.organizerId,
      merchantId: dto.merchantId ?? null,
      actorId: dto.actorId,
      actor: { id: dto.actor.id, name: dto.actor.name, type: dto.actor.type },
      content: rendered.content,
      actionUrl: rendered.actionUrl,
      data: dto.data,
      occurredAt: new Date(dto.occurredAt),
    }));
  }
}

/** The message, or every reason it is not one, as class-validator words them. */
function validMessage(value: Record<string, unknown>): ActivityNotificationMessageDto | string {
  const accepted = ActivityNotificationMessageDto.acceptValid(value);
  if (accepted) return accepted;
  const dto = plainToInstance(ActivityNotificationMessageDto, value);
  const errors = validateSync(dto);
  if (errors.length === 0) return dto;
  return validationViolations(errors)
    .flatMap((violation) => violation.messages)
    .join('; ');
}

function recipientsOf(message: ActivityNotificationMessageDto): string[] {
  switch (message.recipientScope) {
    case 'org':
      return [message.organizerId];
    case 'merchant':
      return [message.merchantId!];
    case 'users':
      return [...new Set(message.recipientIds)];
  }
}

/** `eventId`, else the `idempotency-key` header, else a hash of the canonical `value`. */
function dedupKeyOf(
  message: ActivityNotificationMessageDto,
  value: Record<string, unknown>,
  raw: KafkaInboundMessage,
): string {
  const explicit = message.eventId ?? raw.headers[IDEMPOTENCY_KEY_HEADER];
  if (explicit && explicit.length <= DEDUP_KEY_MAX) return explicit;
  return explicit ? sha256Key(explicit) : contentKey(value);
}
