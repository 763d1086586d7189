import { Injectable } from '@nestjs/common';
import { PhxDeliveryLogEntry, PhxPushRequestRepository } from '@signal/persistence';
import { SignalErrorCode, SignalException } from '../../common/signal.exception';
import { UserDeliveryLogQueryDto } from './admin.dto';

/**
 * "Why did user X (not) get Y": every request with the Producer's decision (what chose the
 * channels — the setting, or the default for an unconfigured code —, disabled, muted, no block)
 * and each channel's outcome at the Consumer (no device, provider error, attempts).
 */
@Injectable()
export class DeliveryLogService {
  constructor(private readonly requests: PhxPushRequestRepository) {}

  async ofNotification(id: string): Promise<PhxDeliveryLogEntry> {
    const entry = await this.requests.deliveryLog(id);
    if (!entry) throw new SignalException(SignalErrorCode.NOT_FOUND, `no notification ${id}`);
    return entry;
  }

  async ofUser(
    userId: string,
    query: UserDeliveryLogQueryDto,
  ): Promise<{ items: PhxDeliveryLogEntry[]; nextCursor: string | null }> {
    const items = await this.requests.userDeliveryLog(userId, {
      actionCode: query.actionCode,
      afterId: query.cursor,
      limit: query.limit,
    });
    const nextCursor = items.length === query.limit ? items[items.length - 1].id : null;
    return { items, nextCursor };
  }
}
