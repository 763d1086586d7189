import { Injectable } from '@nestjs/common';
import { NotificationCreatedPayload } from '@signal/core';
import {
  ActivityNotificationRepository,
  InboxOwner,
  toNotificationCreatedPayload,
} from '@signal/persistence';
import { recipientIdsOf, UserPrincipal } from '../../auth/user-principal';
import { SignalErrorCode, SignalException } from '../../common/signal.exception';

export interface InboxPage {
  items: NotificationCreatedPayload[];
  /** Pass as `cursor` (list) or `after` (catch-up) for the next page; null at the end. */
  nextCursor: string | null;
}

/** A user's view of activity notifications: their own, their organizer's and merchants'. */
@Injectable()
export class ActivityInboxService {
  constructor(private readonly notifications: ActivityNotificationRepository) {}

  async list(
    user: UserPrincipal,
    query: { cursor?: string; limit: number; unread: boolean },
  ): Promise<InboxPage> {
    const rows = await this.notifications.listNewestFirst(ownerOf(user), {
      beforeSeq: query.cursor,
      limit: query.limit + 1,
      unreadOnly: query.unread,
    });
    const page = rows.slice(0, query.limit);
    return {
      items: page.map(toNotificationCreatedPayload),
      nextCursor: rows.length > query.limit ? page[page.length - 1].seq : null,
    };
  }

  /** Oldest first after the given id: the REST twin of the socket replay. */
  async catchUp(user: UserPrincipal, query: { after: string; limit: number }): Promise<InboxPage> {
    const owner = ownerOf(user);
    const afterSeq = await this.notifications.findSeq(owner, query.after);
    if (afterSeq === null) {
      throw new SignalException(
        SignalErrorCode.NOT_FOUND,
        `notification ${query.after} is not a notification of this user`,
      );
    }
    const rows = await this.notifications.listAfter(owner, { afterSeq, limit: query.limit });
    return {
      items: rows.map(toNotificationCreatedPayload),
      nextCursor: rows.length === query.limit ? rows[rows.length - 1].id : null,
    };
  }

  async unreadCount(user: UserPrincipal): Promise<{ count: number }> {
    return { count: await this.notifications.countUnread(ownerOf(user)) };
  }

  async markRead(user: UserPrincipal, id: string): Promise<{ id: string; isRead: true }> {
    if (!(await this.notifications.markRead(ownerOf(user), id))) {
      throw new SignalException(SignalErrorCode.NOT_FOUND, `notification ${id} not found`);
    }
    return { id, isRead: true };
  }

  async markAllRead(user: UserPrincipal): Promise<{ marked: number }> {
    return { marked: await this.notifications.markAllRead(ownerOf(user)) };
  }
}

function ownerOf(user: UserPrincipal): InboxOwner {
  return { userId: user.userId, recipientIds: recipientIdsOf(user) };
}
