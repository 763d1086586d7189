import { Injectable } from '@nestjs/common';
import { NotificationWebSocketTopics } from '@signal/core';
import { ActivityNotificationRepository, toNotificationCreatedPayload } from '@signal/persistence';
import { Socket } from 'socket.io';
import { recipientIdsOf, UserPrincipal } from '../../auth/user-principal';
import { SignalConfig } from '../../config/signal-config';

/** Sends a reconnecting client, in order, what was persisted for its rooms after the id it last saw. */
@Injectable()
export class NotificationReplayService {
  constructor(
    private readonly config: SignalConfig,
    private readonly notifications: ActivityNotificationRepository,
  ) {}

  async replayTo(socket: Socket, principal: UserPrincipal, afterSeq: string): Promise<void> {
    const limit = this.config.gateway.replayLimit;
    const owner = { userId: principal.userId, recipientIds: recipientIdsOf(principal) };
    const missed = await this.notifications.listAfter(owner, { afterSeq, limit });
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
