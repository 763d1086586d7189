import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { PhxChannel } from './phx-channel';
import { PhxNotificationSettingEntity } from './phx-notification-setting.entity';
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

/** The columns of setting `s` under the names of {@link PhxNotificationSettingView}. */
const SETTING_FIELDS = `s.action_code AS "actionCode", s.enabled, s.channels, s.critical,
  s.description, s.created_at AS "createdAt", s.updated_at AS "updatedAt"`;

/** Every query on `phx_notification_settings`. */
@Injectable()
export class PhxNotificationSettingRepository {
  constructor(
    @InjectRepository(PhxNotificationSettingEntity)
    private readonly settings: Repository<PhxNotificationSettingEntity>,
    private readonly dataSource: DataSource,
  ) {}

  list(): Promise<PhxNotificationSettingView[]> {
    return this.settings.find({ order: { actionCode: 'ASC' } });
  }

  find(actionCode: string): Promise<PhxNotificationSettingView | null> {
    return this.settings.findOneBy({ actionCode });
  }

  /**
   * For each (action code, user): the code's setting and the channels the user muted for it, in
   * one round trip for the whole list, in its order. The Producer asks this for every request.
   */
  async findForUsers(
    lookups: { actionCode: string; userId: string }[],
  ): Promise<{ setting: PhxNotificationSettingView | null; mutedChannels: PhxChannel[] }[]> {
    // Every setting column is null where the action code has no setting (the left join).
    const rows: (PhxNotificationSettingView & { mutedChannels: PhxChannel[] })[] =
      await preparedQuery(
        this.dataSource,
        `SELECT ${SETTING_FIELDS},
                ARRAY(SELECT p.channel FROM phx_notification_preferences p
                       WHERE p.user_id = q.user_id AND p.action_code = q.action_code AND NOT p.enabled
                ) AS "mutedChannels"
           FROM unnest($1::varchar[], $2::varchar[]) WITH ORDINALITY AS q(action_code, user_id, n)
           LEFT JOIN phx_notification_settings s ON s.action_code = q.action_code
          ORDER BY q.n`,
        [lookups.map((l) => l.actionCode), lookups.map((l) => l.userId)],
      );
    return rows.map(({ mutedChannels, ...setting }) => ({
      setting: setting.actionCode ? setting : null,
      mutedChannels,
    }));
  }

  /** Creates or replaces the setting of `input.actionCode`, in one statement. */
  async put(input: PhxNotificationSettingInput): Promise<PhxNotificationSettingView> {
    const [setting]: PhxNotificationSettingView[] = await this.dataSource.query(
      `INSERT INTO phx_notification_settings AS s
         (action_code, enabled, channels, critical, description)
       VALUES ($1, $2, $3::varchar[], $4, $5)
       ON CONFLICT (action_code) DO UPDATE
          SET enabled = EXCLUDED.enabled, channels = EXCLUDED.channels,
              critical = EXCLUDED.critical, description = EXCLUDED.description, updated_at = now()
       RETURNING ${SETTING_FIELDS}`,
      [input.actionCode, input.enabled, input.channels, input.critical, input.description],
    );
    return setting;
  }

  /** False when there was no such setting. */
  async delete(actionCode: string): Promise<boolean> {
    const { affected } = await this.settings.delete({ actionCode });
    return (affected ?? 0) > 0;
  }
}
