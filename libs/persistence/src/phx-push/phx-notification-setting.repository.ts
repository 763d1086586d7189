import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PhxChannel } from './phx-channel';
import { preparedQuery } from '../prepared-query';

/** The notification setting of one action code, as the Producer and the admin API see it. */
export interface PhxNotificationSettingView {
  actionCode: string;
  enabled: boolean;
  channels: PhxChannel[];
  critical: boolean;
  description: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export type PhxNotificationSettingInput = Pick<
  PhxNotificationSettingView,
  'actionCode' | 'enabled' | 'channels' | 'critical' | 'description'
>;

interface SettingRow {
  action_code: string;
  enabled: boolean;
  channels: PhxChannel[];
  critical: boolean;
  description: string | null;
  created_at: Date;
  updated_at: Date;
}

const SETTING_COLUMNS =
  'action_code, enabled, channels, critical, description, created_at, updated_at';

function toView(row: SettingRow): PhxNotificationSettingView {
  return {
    actionCode: row.action_code,
    enabled: row.enabled,
    channels: row.channels,
    critical: row.critical,
    description: row.description,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Every query on `phx_notification_settings`. */
@Injectable()
export class PhxNotificationSettingRepository {
  constructor(private readonly dataSource: DataSource) {}

  async list(): Promise<PhxNotificationSettingView[]> {
    const rows: SettingRow[] = await this.dataSource.query(
      `SELECT ${SETTING_COLUMNS} FROM phx_notification_settings ORDER BY action_code`,
    );
    return rows.map(toView);
  }

  async find(actionCode: string): Promise<PhxNotificationSettingView | null> {
    const rows: SettingRow[] = await this.dataSource.query(
      `SELECT ${SETTING_COLUMNS} FROM phx_notification_settings WHERE action_code = $1`,
      [actionCode],
    );
    return rows[0] ? toView(rows[0]) : null;
  }

  /**
   * For each (action code, user): the code's setting and the channels the user muted for it, in
   * one round trip for the whole list, in its order. The Producer asks this for every request.
   */
  async findForUsers(
    lookups: { actionCode: string; userId: string }[],
  ): Promise<{ setting: PhxNotificationSettingView | null; mutedChannels: PhxChannel[] }[]> {
    const rows: (Partial<SettingRow> & { muted_channels: PhxChannel[] })[] = await preparedQuery(
      this.dataSource,
      `SELECT s.action_code, s.enabled, s.channels, s.critical, s.description, s.created_at,
              s.updated_at,
              ARRAY(SELECT p.channel FROM phx_notification_preferences p
                     WHERE p.user_id = q.user_id AND p.action_code = q.action_code AND NOT p.enabled
              ) AS muted_channels
         FROM unnest($1::varchar[], $2::varchar[]) WITH ORDINALITY AS q(action_code, user_id, n)
         LEFT JOIN phx_notification_settings s ON s.action_code = q.action_code
        ORDER BY q.n`,
      [lookups.map((l) => l.actionCode), lookups.map((l) => l.userId)],
    );
    return rows.map(({ muted_channels: mutedChannels, ...setting }) => ({
      setting: setting.action_code ? toView(setting as SettingRow) : null,
      mutedChannels,
    }));
  }

  /** Creates or replaces the setting of `input.actionCode`. */
  async put(input: PhxNotificationSettingInput): Promise<PhxNotificationSettingView> {
    const rows: SettingRow[] = await this.dataSource.query(
      `INSERT INTO phx_notification_settings (action_code, enabled, channels, critical, description)
       VALUES ($1, $2, $3::varchar[], $4, $5)
       ON CONFLICT (action_code) DO UPDATE
          SET enabled = EXCLUDED.enabled, channels = EXCLUDED.channels,
              critical = EXCLUDED.critical, description = EXCLUDED.description, updated_at = now()
       RETURNING ${SETTING_COLUMNS}`,
      [input.actionCode, input.enabled, input.channels, input.critical, input.description],
    );
    return toView(rows[0]);
  }

  /** False when there was no such setting. */
  async delete(actionCode: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `WITH deleted AS (DELETE FROM phx_notification_settings WHERE action_code = $1 RETURNING 1)
       SELECT * FROM deleted`,
      [actionCode],
    );
    return rows.length > 0;
  }
}
