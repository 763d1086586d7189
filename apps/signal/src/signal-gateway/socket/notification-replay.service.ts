import { Injectable, Logger } from '@nestjs/common';
import { NotificationWebSocketTopics } from '@signal/core';
import {
  ActivityNotificationRepository,
  ActivityNotificationView,
  toNotificationCreatedPayload,
} from '@signal/persistence';
import { Socket } from 'socket.io';
import { recipientIdsOf, UserPrincipal } from '../../auth/user-principal';
import { SignalConfig } from '../../config/signal-config';
import { errorMessage } from '../../common/error-message';

/**
 * Sends a reconnecting client, in order, what was persisted for its rooms after the id it last
 * saw. When it cannot send everything (limit reached, database failure) it tells the client
 * where to continue with REST catch-up.
 */
@Injectable()
export class NotificationReplayService {
  private readonly logger = new Logger(NotificationReplayService.name);

  constructor(
    private readonly config: SignalConfig,
    private readonly notifications: ActivityNotificationRepository,
  ) {}

  async replayTo(
    socket: Socket,
    principal: UserPrincipal,
    after: { id: string; seq: string },
  ): Promise<void> {
    const limit = this.config.gateway.replayLimit;
    const owner = { userId: principal.userId, recipientIds: recipientIdsOf(principal) };
    let missed: ActivityNotificationView[];
    try {
      missed = await this.notifications.listAfter(owner, { afterSeq: after.seq, limit });
    } catch (error) {
      this.logger.warn(`replay for ${principal.userId} failed: ${errorMessage(error)}`);
      socket.emit(NotificationWebSocketTopics.REPLAY_TRUNCATED, { after: after.id });
      return;
    }
    for (const view of missed) {
      socket.emit(
        NotificationWebSocketTopics.NOTIFICATION_CREATED,
        toNotificationCreatedPayload(view),
      );
    }
    if (missed.length === limit) {
      socket.emit(NotificationWebSocketTopics.REPLAY_TRUNCATED, { after: missed[limit - 1].id });
    }
  }
}
