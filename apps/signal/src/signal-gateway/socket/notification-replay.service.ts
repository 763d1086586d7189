import { Injectable, Logger } from '@nestjs/common';
import { NotificationWebSocketTopics } from '@signal/core';
import { ReplayAnchor } from '@signal/persistence';
import { UserPrincipal } from '../../auth/user-principal';
import { SignalConfig } from '../../config/signal-config';
import { errorMessage } from '../../common/error-message';
import { ActivityInboxService, InboxPage } from '../inbox/activity-inbox.service';
import { SignalSocket } from './signal-socket';

/**
 * Sends a reconnecting client, in order, what was persisted for its rooms that it may have missed
 * since the id it last saw — overlapping the time before that id, since instances emit out of seq
 * order; the client dedupes by id. When it cannot send everything (limit reached, database
 * failure) it tells the client where to continue with REST catch-up.
 */
@Injectable()
export class NotificationReplayService {
  private readonly logger = new Logger(NotificationReplayService.name);

  constructor(
    private readonly config: SignalConfig,
    private readonly inbox: ActivityInboxService,
  ) {}

  async replayTo(
    socket: SignalSocket,
    principal: UserPrincipal,
    anchor: ReplayAnchor,
  ): Promise<void> {
    let missed: InboxPage;
    try {
      missed = await this.inbox.missedSince(principal, anchor, {
        limit: this.config.gateway.replayLimit,
      });
    } catch (error) {
      this.logger.warn(`replay for ${principal.userId} failed: ${errorMessage(error)}`);
      socket.emit(NotificationWebSocketTopics.REPLAY_TRUNCATED, {
        after: anchor.id,
        cursor: '0',
      });
      return;
    }
    for (const payload of missed.items) {
      socket.emit(NotificationWebSocketTopics.NOTIFICATION_CREATED, payload);
    }
    if (missed.nextCursor !== null) {
      socket.emit(NotificationWebSocketTopics.REPLAY_TRUNCATED, {
        after: anchor.id,
        cursor: missed.nextCursor,
      });
    }
  }
}
