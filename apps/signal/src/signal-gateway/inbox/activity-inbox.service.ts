import { Injectable } from '@nestjs/common';
import { NotificationCreatedPayload } from '@signal/core';
import {
  ActivityNotificationRepository,
  ActivityNotificationView,
  ReplayAnchor,
} from '@signal/persistence';
import { inboxOwnerOf, UserPrincipal } from '../../auth/user-principal';
import { SignalErrorCode, SignalException } from '../../common/signal.exception';
import { SignalConfig } from '../../config/signal-config';
import { toNotificationCreatedPayload } from '../notification-payloads';

export interface InboxPage {
  items: NotificationCreatedPayload[];
  /** Pass as `cursor` for the next page (with the same `after` for catch-up); null at the end. */
  nextCursor: string | null;
}

/** A user's view of activity notifications: their own, their organizer's and merchants'. */
@Injectable()
export class ActivityInboxService {
  constructor(
    private readonly notifications: ActivityNotificationRepository,
    private readonly config: SignalConfig,
  ) {}

  async list(
    user: UserPrincipal,
    query: { cursor?: string; limit: number; unread: boolean },
  ): Promise<InboxPage> {
    const rows = await this.notifications.listNewestFirst(inboxOwnerOf(user), {
      beforeSeq: query.cursor,
      limit: query.limit + 1,
      unreadOnly: query.unread,
    });
    return pageOf(rows, query.limit);
  }

  /** The notification the user may replay from, or NOT_FOUND when it is not theirs. */
  async replayAnchor(user: UserPrincipal, id: string, name: string): Promise<ReplayAnchor> {
    const anchor = await this.notifications.findAnchor(inboxOwnerOf(user), id);
    if (anchor === null) {
      throw new SignalException(
        SignalErrorCode.NOT_FOUND,
        `${name} ${id} is not a notification of this user`,
      );
    }
    return anchor;
  }

  /**
   * What a client that last saw `anchor` may have missed, oldest first, overlapping the time
   * before it (clients dedupe by id): the socket replay and REST catch-up alike.
   */
  async missedSince(
    user: UserPrincipal,
    anchor: ReplayAnchor,
    page: { cursor?: string; limit: number },
  ): Promise<InboxPage> {
    const rows = await this.notifications.listMissedSince(inboxOwnerOf(user), {
      anchor,
      overlapMs: this.config.gateway.replayOverlapMs,
      afterSeq: page.cursor,
      limit: page.limit + 1,
    });
    return pageOf(rows, page.limit);
  }

  /** The REST twin of the socket replay. */
  async catchUp(
    user: UserPrincipal,
    query: { after: string; cursor?: string; limit: number },
  ): Promise<InboxPage> {
    const anchor = await this.replayAnchor(user, query.after, 'notification');
    return this.missedSince(user, anchor, query);
  }

  async unreadCount(user: UserPrincipal): Promise<{ count: number }> {
    return { count: await this.notifications.countUnread(inboxOwnerOf(user)) };
  }

  async markRead(user: UserPrincipal, id: string): Promise<{ id: string; isRead: true }> {
    if (!(await this.notifications.markRead(inboxOwnerOf(user), id))) {
      throw new SignalException(SignalErrorCode.NOT_FOUND, `notification ${id} not found`);
    }
    return { id, isRead: true };
  }

  /** `marked`: how many were unread up to the newest notification when the request ran. */
  async markAllRead(user: UserPrincipal): Promise<{ marked: number }> {
    return { marked: await this.notifications.markAllRead(inboxOwnerOf(user)) };
  }
}

/** `rows` holds up to `limit + 1`: one more than the page says whether another follows. */
function pageOf(rows: ActivityNotificationView[], limit: number): InboxPage {
  const page = rows.slice(0, limit);
  return {
    items: page.map(toNotificationCreatedPayload),
    nextCursor: rows.length > limit ? page[page.length - 1].seq : null,
  };
}
