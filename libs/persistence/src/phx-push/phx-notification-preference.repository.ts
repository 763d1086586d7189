import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { PhxChannel } from './phx-channel';
import { PhxNotificationPreferenceEntity } from './phx-notification-preference.entity';

/** A user's choice for one action code and channel. */
export interface PhxNotificationPreference {
  actionCode: string;
  channel: PhxChannel;
  enabled: boolean;
}

export interface PhxNotificationPreferenceView extends PhxNotificationPreference {
  updatedAt: Date;
}

/** Every query on `phx_notification_preferences`. */
@Injectable()
export class PhxNotificationPreferenceRepository {
  constructor(
    @InjectRepository(PhxNotificationPreferenceEntity)
    private readonly preferences: Repository<PhxNotificationPreferenceEntity>,
  ) {}

  listForUser(userId: string): Promise<PhxNotificationPreferenceView[]> {
    return listOf(this.preferences.manager, userId);
  }

  /** Replaces the user's whole set in one transaction; pairs are expected to be unique. */
  replaceForUser(
    userId: string,
    preferences: PhxNotificationPreference[],
  ): Promise<PhxNotificationPreferenceView[]> {
    return this.preferences.manager.transaction(async (manager) => {
      await manager.delete(PhxNotificationPreferenceEntity, { userId });
      if (preferences.length === 0) return [];
      await manager.insert(
        PhxNotificationPreferenceEntity,
        preferences.map((preference) => ({ ...preference, userId })),
      );
      return listOf(manager, userId);
    });
  }
}

/** The user's preferences (without the user id), ordered by the database's collation. */
function listOf(manager: EntityManager, userId: string): Promise<PhxNotificationPreferenceView[]> {
  return manager.find(PhxNotificationPreferenceEntity, {
    select: { actionCode: true, channel: true, enabled: true, updatedAt: true },
    where: { userId },
    order: { actionCode: 'ASC', channel: 'ASC' },
  });
}
