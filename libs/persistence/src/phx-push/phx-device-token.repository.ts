import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
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

interface DeviceRow {
  id: string;
  user_id: string;
  app: string;
  token: string;
  platform: string | null;
  active: boolean;
  deactivated_reason: string | null;
  deactivated_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const DEVICE_COLUMNS = `id, user_id, app, token, platform, active, deactivated_reason, deactivated_at,
  created_at, updated_at`;

const toView = (row: DeviceRow): PhxDeviceView => ({
  id: row.id,
  userId: row.user_id,
  app: row.app,
  token: row.token,
  platform: row.platform,
  active: row.active,
  deactivatedReason: row.deactivated_reason,
  deactivatedAt: row.deactivated_at,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** Every query on `phx_device_tokens`: registration by users and admins, lookups by the Consumer. */
@Injectable()
export class PhxDeviceTokenRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The tokens push goes to, for each of `owners`: the user's active devices of `app`. Read per
   * owner through the index on (user_id, app), whatever the statistics.
   */
  async activeTokensOf(
    owners: { userId: string; app: string }[],
  ): Promise<{ userId: string; app: string; tokens: string[] }[]> {
    if (owners.length === 0) return [];
    const rows: { user_id: string; app: string; tokens: string[] }[] = await preparedQuery(
      this.dataSource,
      `SELECT o.user_id, o.app,
              ARRAY(SELECT t.token FROM phx_device_tokens t
                     WHERE t.user_id = o.user_id AND t.app = o.app AND t.active) AS tokens
         FROM unnest($1::varchar[], $2::varchar[]) AS o(user_id, app)`,
      [owners.map((o) => o.userId), owners.map((o) => o.app)],
    );
    return rows.map((row) => ({ userId: row.user_id, app: row.app, tokens: row.tokens }));
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

  async listForUser(userId: string): Promise<PhxDeviceView[]> {
    const rows: DeviceRow[] = await this.dataSource.query(
      `SELECT ${DEVICE_COLUMNS} FROM phx_device_tokens WHERE user_id = $1 ORDER BY created_at, id`,
      [userId],
    );
    return rows.map(toView);
  }

  /**
   * Registers a token for the user. A token is one device: registering a known (app, token)
   * again moves it to this user (the device changed hands) and re-activates it.
   */
  async register(userId: string, device: NewPhxDevice): Promise<PhxDeviceView> {
    const rows: DeviceRow[] = await this.dataSource.query(
      `INSERT INTO phx_device_tokens (user_id, app, token, platform)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (app, token) DO UPDATE
          SET user_id = EXCLUDED.user_id, platform = coalesce(EXCLUDED.platform, phx_device_tokens.platform),
              active = true, deactivated_reason = NULL, deactivated_at = NULL, updated_at = now()
       RETURNING ${DEVICE_COLUMNS}`,
      [userId, device.app, device.token, device.platform],
    );
    return toView(rows[0]);
  }

  /** False when the user has no such device. */
  async remove(userId: string, deviceId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `WITH removed AS (
         DELETE FROM phx_device_tokens WHERE id = $1 AND user_id = $2 RETURNING 1
       )
       SELECT * FROM removed`,
      [deviceId, userId],
    );
    return rows.length > 0;
  }
}
