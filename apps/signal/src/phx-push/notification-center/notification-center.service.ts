import { Injectable } from '@nestjs/common';
import { NotificationCenterRecordPayload } from '@signal/core';
import { PhxNotificationRecordRepository } from '@signal/persistence';
import { NotificationType } from 'phx-node';
import { UserPrincipal } from '../../auth/user-principal';
import { SignalErrorCode, SignalException } from '../../common/signal.exception';
import { toNotificationCenterRecordPayload } from '../../signal-gateway/notification-payloads';

export interface NotificationCenterPage {
  items: NotificationCenterRecordPayload[];
  /** Pass as `cursor` for the next (older) page; null at the end. */
  nextCursor: string | null;
}

/** A user's Notification Center: the records whose in-app channel went out to them. */
@Injectable()
export class NotificationCenterService {
  constructor(private readonly records: PhxNotificationRecordRepository) {}

  async list(
    user: UserPrincipal,
    query: {
      type?: NotificationType;
      studentId?: number;
      unread: boolean;
      cursor?: string;
      limit: number;
    },
  ): Promise<NotificationCenterPage> {
    const rows = await this.records.listNewestFirst(user.userId, {
      tabs: tabsOf(query.type),
      studentId: query.studentId,
      unreadOnly: query.unread,
      beforeSeq: query.cursor,
      limit: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    return {
      items: page.map(toNotificationCenterRecordPayload),
      nextCursor: rows.length > query.limit ? page[page.length - 1].seq : null,
    };
  }

  /** Every tab is present, zero included, so a client can render its badges from one answer. */
  async unreadCounts(
    user: UserPrincipal,
  ): Promise<Record<NotificationType, number> & { total: number }> {
    const counts = (await this.records.countUnreadByType(user.userId, TABS)) as Record<
      NotificationType,
      number
    >;
    const total = Object.values(counts).reduce((sum, count) => sum + count, 0);
    return { ...counts, total };
  }

  async markRead(user: UserPrincipal, id: string): Promise<{ id: string; isRead: true }> {
    if (!(await this.records.markRead(user.userId, id))) {
      throw new SignalException(SignalErrorCode.NOT_FOUND, `record ${id} not found`);
    }
    return { id, isRead: true };
  }

  /** Moves one read watermark per tab; `marked`: how many were unread up to the newest record. */
  async markAllRead(user: UserPrincipal, type?: NotificationType): Promise<{ marked: number }> {
    return { marked: await this.records.markAllRead(user.userId, tabsOf(type)) };
  }
}

const TABS: string[] = Object.values(NotificationType);

function tabsOf(type: NotificationType | undefined): string[] {
  return type === undefined ? TABS : [type];
}
