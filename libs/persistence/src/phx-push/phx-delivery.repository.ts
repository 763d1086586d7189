import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PhxChannel, PhxDeliveryStatus, PhxRequestStatus } from './phx-channel';

/** What the Consumer needs of an accepted request: the payload and where each channel stands. */
export interface PhxDeliveryState {
  requestId: string;
  userId: string;
  studentId: number | null;
  type: string;
  actionCode: string;
  hostname: string;
  payload: Record<string, unknown>;
  status: PhxRequestStatus;
  deliveries: {
    channel: PhxChannel;
    status: PhxDeliveryStatus;
    reason: string | null;
    attempts: number;
  }[];
}

interface StateRow {
  id: string;
  user_id: string;
  student_id: string | null;
  type: string;
  action_code: string;
  hostname: string;
  payload: Record<string, unknown>;
  status: PhxRequestStatus;
  deliveries: PhxDeliveryState['deliveries'];
}

/**
 * The Consumer's side of `phx_deliveries`: claims with a lease so that two processes (or a
 * process and its restarted self) never send the same channel at the same time.
 */
@Injectable()
export class PhxDeliveryRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The stored requests among `requestIds`, each with where its channels stand. The channels are
   * read per request through the primary key: as a join, the plan would depend on the statistics,
   * and before the first ANALYZE it hash-joins a scan of every delivery.
   */
  async loadMany(requestIds: string[]): Promise<Map<string, PhxDeliveryState>> {
    if (requestIds.length === 0) return new Map();
    const rows: StateRow[] = await this.dataSource.query(
      `SELECT r.id, r.user_id, r.student_id, r.type, r.action_code, r.hostname, r.payload, r.status,
              coalesce((SELECT json_agg(json_build_object(
                          'channel', d.channel, 'status', d.status, 'reason', d.reason,
                          'attempts', d.attempts)
                        ORDER BY d.channel)
                          FROM phx_deliveries d WHERE d.request_id = r.id), '[]') AS deliveries
         FROM phx_push_requests r
        WHERE r.id = ANY($1::uuid[])`,
      [requestIds],
    );
    return new Map(
      rows.map((row) => [
        row.id,
        {
          requestId: row.id,
          userId: row.user_id,
          studentId: row.student_id === null ? null : Number(row.student_id),
          type: row.type,
          actionCode: row.action_code,
          hostname: row.hostname,
          payload: row.payload,
          status: row.status,
          deliveries: row.deliveries,
        },
      ]),
    );
  }

  /** Marks `channel` sent for every request among `requestIds` where it is still pending. */
  async markSent(requestIds: string[], channel: PhxChannel): Promise<void> {
    if (requestIds.length === 0) return;
    await this.dataSource.query(
      `UPDATE phx_deliveries SET status = 'sent', reason = NULL, next_attempt_at = NULL, updated_at = now()
        WHERE request_id = ANY($1::uuid[]) AND channel = $2 AND status = 'pending'`,
      [requestIds, channel],
    );
  }

  /**
   * Gives the fresh pending push and e-mail channels of these requests a due time, `inMs` from
   * now: the retry scheduler takes them from then on, should their sender not have claimed them.
   */
  async markDue(requestIds: string[], inMs: number): Promise<void> {
    if (requestIds.length === 0) return;
    await this.dataSource.query(
      `UPDATE phx_deliveries
          SET next_attempt_at = now() + make_interval(secs => $2::double precision / 1000)
        WHERE request_id = ANY($1::uuid[]) AND channel IN ('push', 'email')
          AND status = 'pending' AND next_attempt_at IS NULL`,
      [requestIds, inMs],
    );
  }

  /**
   * Takes a channel that is due — never tried, pending and past its backoff, or `sending` past
   * its lease (its sender died) — and counts the attempt. Null when it is not: finished, waiting for its
   * backoff, or being sent by someone else right now.
   */
  async claim(requestId: string, channel: PhxChannel, leaseMs: number): Promise<number | null> {
    const rows: { attempts: number }[] = await this.dataSource.query(
      `WITH claimed AS (
         UPDATE phx_deliveries
            SET status = 'sending', attempts = attempts + 1,
                next_attempt_at = now() + make_interval(secs => $3::double precision / 1000),
                updated_at = now()
          WHERE request_id = $1 AND channel = $2 AND status IN ('pending', 'sending')
            AND (next_attempt_at IS NULL OR next_attempt_at <= now()
                 -- Never tried: its due time only tells the scheduler when to step in.
                 OR (status = 'pending' AND attempts = 0))
          RETURNING attempts
       )
       SELECT attempts FROM claimed`,
      [requestId, channel, leaseMs],
    );
    return rows[0]?.attempts ?? null;
  }

  /**
   * Records the outcome of a claimed channel: final (`sent`, `failed`, `skipped`), or `pending`
   * again with the time of its next attempt.
   */
  async settle(
    requestId: string,
    channel: PhxChannel,
    outcome:
      | {
          status: 'sent' | 'failed' | 'skipped';
          reason: string | null;
          detail?: Record<string, unknown>;
        }
      | { status: 'pending'; reason: string; detail?: Record<string, unknown>; retryInMs: number },
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE phx_deliveries
          SET status = $3, reason = $4, detail = coalesce($5::jsonb, detail),
              next_attempt_at = now() + make_interval(secs => $6::double precision / 1000),
              updated_at = now()
        WHERE request_id = $1 AND channel = $2`,
      [
        requestId,
        channel,
        outcome.status,
        outcome.reason,
        outcome.detail ? JSON.stringify(outcome.detail) : null,
        // Final channels keep no schedule.
        outcome.status === 'pending' ? outcome.retryInMs : null,
      ],
    );
  }

  /**
   * Requests with a channel that is due but no one is sending: failed transiently and past their
   * backoff, or abandoned by a sender that died. Oldest first.
   */
  async dueRequestIds(limit: number): Promise<string[]> {
    const rows: { request_id: string }[] = await this.dataSource.query(
      `SELECT request_id FROM phx_deliveries
        WHERE status IN ('pending', 'sending') AND next_attempt_at <= now()
        GROUP BY request_id
        ORDER BY min(next_attempt_at)
        LIMIT $1`,
      [limit],
    );
    return rows.map((row) => row.request_id);
  }

  /**
   * Closes requests once no channel is left to send; each status sums up its channels. (`= ANY`
   * repeats the join so that the requests are found by key whatever plan the join gets.)
   */
  async completeMany(
    outcomes: { requestId: string; status: PhxRequestStatus; reason: string | null }[],
  ): Promise<void> {
    if (outcomes.length === 0) return;
    await this.dataSource.query(
      `UPDATE phx_push_requests r SET status = o.status, reason = o.reason, completed_at = now()
         FROM unnest($1::uuid[], $2::varchar[], $3::text[]) AS o(id, status, reason)
        WHERE r.id = o.id AND r.id = ANY($1::uuid[]) AND r.status = 'accepted'`,
      [
        outcomes.map((o) => o.requestId),
        outcomes.map((o) => o.status),
        outcomes.map((o) => o.reason),
      ],
    );
  }
}
