import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { PhxDeviceTokenEntity } from './phx-device-token.entity';
import { preparedQuery } from '../prepared-query';

/** A registered push token, active or deactivated (with why). */
export interface PhxDeviceView {
  id: string;
  userId: string;
  app: string;
  token: string;
  platform: string | null;
  active: boolean;
  deactivatedReason: string | null;
  deactivatedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewPhxDevice {
  app: string;
  token: string;
  platform: string | null;
}

/** The columns of token `t` under the names of {@link PhxDeviceView}. */
const DEVICE_FIELDS = `t.id, t.user_id AS "userId", t.app, t.token, t.platform, t.active,
  t.deactivated_reason AS "deactivatedReason", t.deactivated_at AS "deactivatedAt",
  t.created_at AS "createdAt", t.updated_at AS "updatedAt"`;

/** Every query on `phx_device_tokens`: registration by users and admins, lookups by the Consumer. */
@Injectable()
export class PhxDeviceTokenRepository {
  constructor(
    @InjectRepository(PhxDeviceTokenEntity)
    private readonly tokens: Repository<PhxDeviceTokenEntity>,
    private readonly dataSource: DataSource,
  ) {}

  /**
   * The tokens push goes to, for each of `owners`: the user's active devices of `app`. Read per
   * owner through the index on (user_id, app), whatever the statistics.
   */
  async activeTokensOf(
    owners: { userId: string; app: string }[],
  ): Promise<{ userId: string; app: string; tokens: string[] }[]> {
    if (owners.length === 0) return [];
    return preparedQuery<{ userId: string; app: string; tokens: string[] }>(
      this.dataSource,
      `SELECT o.user_id AS "userId", o.app,
              ARRAY(SELECT t.token FROM phx_device_tokens t
                     WHERE t.user_id = o.user_id AND t.app = o.app AND t.active) AS tokens
         FROM unnest($1::varchar[], $2::varchar[]) AS o(user_id, app)`,
      [owners.map((o) => o.userId), owners.map((o) => o.app)],
    );
  }

  /** Deactivates tokens the provider called dead, keeping why; returns how many were active. */
  async deactivate(dead: { app: string; token: string; reason: string }[]): Promise<number> {
    if (dead.length === 0) return 0;
    // `= ANY` repeats the join as conditions on the unique (app, token) index. Without statistics
    // the planner still uses only `app` of it, as the one-app statement before did.
    const rows: unknown[] = await this.dataSource.query(
      `WITH deactivated AS (
         UPDATE phx_device_tokens t
            SET active = false, deactivated_reason = d.reason, deactivated_at = now(),
                updated_at = now()
           FROM unnest($1::varchar[], $2::varchar[], $3::text[]) AS d(app, token, reason)
          WHERE t.app = d.app AND t.token = d.token AND t.active
            AND t.app = ANY($4::varchar[]) AND t.token = ANY($5::varchar[])
          RETURNING 1
       )
       SELECT * FROM deactivated`,
      [
        dead.map((d) => d.app),
        dead.map((d) => d.token),
        dead.map((d) => d.reason),
        [...new Set(dead.map((d) => d.app))],
        [...new Set(dead.map((d) => d.token))],
      ],
    );
    return rows.length;
  }

  listForUser(userId: string): Promise<PhxDeviceView[]> {
    return this.tokens.find({ where: { userId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /**
   * Registers a token for the user. A token is one device: registering a known (app, token)
   * again moves it to this user (the device changed hands) and re-activates it.
   */
  async register(userId: string, device: NewPhxDevice): Promise<PhxDeviceView> {
    const [registered]: PhxDeviceView[] = await this.dataSource.query(
      `INSERT INTO phx_device_tokens AS t (user_id, app, token, platform)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (app, token) DO UPDATE
          SET user_id = EXCLUDED.user_id, platform = coalesce(EXCLUDED.platform, t.platform),
              active = true, deactivated_reason = NULL, deactivated_at = NULL, updated_at = now()
       RETURNING ${DEVICE_FIELDS}`,
      [userId, device.app, device.token, device.platform],
    );
    return registered;
  }

  /** False when the user has no such device. */
  async remove(userId: string, deviceId: string): Promise<boolean> {
    const { affected } = await this.tokens.delete({ id: deviceId, userId });
    return (affected ?? 0) > 0;
  }
}
