import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PhxChannel } from './phx-channel';

/** A user's choice for one action code and channel. */
export interface PhxNotificationPreference {
  actionCode: string;
  channel: PhxChannel;
  enabled: boolean;
}

export interface PhxNotificationPreferenceView extends PhxNotificationPreference {
  updatedAt: Date;
}

interface PreferenceRow {
  action_code: string;
  channel: PhxChannel;
  enabled: boolean;
  updated_at: Date;
}

const toView = (row: PreferenceRow): PhxNotificationPreferenceView => ({
  actionCode: row.action_code,
  channel: row.channel,
  enabled: row.enabled,
  updatedAt: row.updated_at,
});

/** Every query on `phx_notification_preferences`. */
@Injectable()
export class PhxNotificationPreferenceRepository {
  constructor(private readonly dataSource: DataSource) {}

  async listForUser(userId: string): Promise<PhxNotificationPreferenceView[]> {
    const rows: PreferenceRow[] = await this.dataSource.query(
      `SELECT action_code, channel, enabled, updated_at
         FROM phx_notification_preferences
        WHERE user_id = $1
        ORDER BY action_code, channel`,
      [userId],
    );
    return rows.map(toView);
  }

  /** Replaces the user's whole set in one transaction; pairs are expected to be unique. */
  async replaceForUser(
    userId: string,
    preferences: PhxNotificationPreference[],
  ): Promise<PhxNotificationPreferenceView[]> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`DELETE FROM phx_notification_preferences WHERE user_id = $1`, [userId]);
      if (preferences.length === 0) return [];
      // Ordered like listForUser, by the database's collation.
      const rows: PreferenceRow[] = await manager.query(
        `WITH inserted AS (
           INSERT INTO phx_notification_preferences (user_id, action_code, channel, enabled)
           SELECT $1, p.action_code, p.channel, p.enabled
             FROM unnest($2::varchar[], $3::varchar[], $4::boolean[]) AS p(action_code, channel, enabled)
           RETURNING action_code, channel, enabled, updated_at
         )
         SELECT * FROM inserted ORDER BY action_code, channel`,
        [
          userId,
          preferences.map((p) => p.actionCode),
          preferences.map((p) => p.channel),
          preferences.map((p) => p.enabled),
        ],
      );
      return rows.map(toView);
    });
  }
}
