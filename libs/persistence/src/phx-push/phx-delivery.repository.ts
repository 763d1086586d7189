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
  /** Whether its Notification Record is stored. */
  recorded: boolean;
  deliveries: {
    channel: PhxChannel;
    status: PhxDeliveryStatus;
    reason: string | null;
    attempts: number;
  }[];
}

/** How a request ended up, once every channel is final. */
export interface PhxRequestOutcome {
  requestId: string;
  status: PhxRequestStatus;
  reason: string | null;
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
  recorded: boolean;
  deliveries: PhxDeliveryState['deliveries'];
}

/** Closes the requests still accepted among the parameters `ids`, with `statuses` and `reasons`. */
function completeRequests([ids, statuses, reasons]: string[]): string {
  // `= ANY` repeats the join: the requests are found by key whatever plan the join gets.
  return `UPDATE phx_push_requests r SET status = o.status, reason = o.reason, completed_at = now()
            FROM unnest(${ids}::uuid[], ${statuses}::varchar[], ${reasons}::text[]) AS o(id, status, reason)
           WHERE r.id = o.id AND r.id = ANY(${ids}::uuid[]) AND r.status = 'accepted'`;
}

const outcomeColumns = (outcomes: PhxRequestOutcome[]) => [
  outcomes.map((o) => o.requestId),
  outcomes.map((o) => o.status),
  outcomes.map((o) => o.reason),
];

/**
 * The Consumer's side of `phx_deliveries`: claims with a lease so that two processes (or a
 * process and its restarted self) never send the same channel at the same time.
 */
@Injectable()
export class PhxDeliveryRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The stored requests among `requestIds`, each with where its channels stand. The channels (and
   * the record) are read per request through their keys: as a join, the plan would depend on the
   * statistics, and before the first ANALYZE it hash-joins a scan of every delivery.
   */
  async loadMany(requestIds: string[]): Promise<Map<string, PhxDeliveryState>> {
    if (requestIds.length === 0) return new Map();
    const rows: StateRow[] = await this.dataSource.query(
      `SELECT r.id, r.user_id, r.student_id, r.type, r.action_code, r.hostname, r.payload, r.status,
              -- Not EXISTS: the planner may answer that with one hashed scan of every record.
              (SELECT true FROM phx_notification_records n WHERE n.request_id = r.id) IS NOT NULL
                AS recorded,
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
          recorded: row.recorded,
          deliveries: row.deliveries,
        },
      ]),
    );
  }

  /**
   * What follows the in-app events of a batch, in one statement (one round trip, all or nothing):
   * in_app becomes sent where it is pending among `inAppSent`; the fresh push and e-mail of `due`
   * get a due time `dueInMs` from now, from which the retry scheduler takes them should their
   * sender not have claimed them; `completed` are closed.
   */
  async settleInApp(batch: {
    inAppSent: string[];
    due: string[];
    dueInMs: number;
    completed: PhxRequestOutcome[];
  }): Promise<void> {
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    // A part with nothing to do is left out: `= ANY('{}')` is false, which lets the planner pick
    // any partial index, and scan all of it, for nothing.
    const parts: string[] = [];
    if (batch.inAppSent.length > 0) {
      parts.push(`UPDATE phx_deliveries
                     SET status = 'sent', reason = NULL, next_attempt_at = NULL, updated_at = now()
                   WHERE request_id = ANY(${param(batch.inAppSent)}::uuid[]) AND channel = 'in_app'
                     AND status = 'pending'`);
    }
    if (batch.due.length > 0) {
      parts.push(`UPDATE phx_deliveries
                     SET next_attempt_at =
                           now() + make_interval(secs => ${param(batch.dueInMs)}::double precision / 1000)
                   WHERE request_id = ANY(${param(batch.due)}::uuid[]) AND channel IN ('push', 'email')
                     AND status = 'pending' AND next_attempt_at IS NULL`);
    }
    if (batch.completed.length > 0) {
      parts.push(completeRequests(outcomeColumns(batch.completed).map(param)));
    }
    if (parts.length === 0) return;
    const first = parts.slice(0, -1).map((part, n) => `part${n} AS (${part})`);
    await this.dataSource.query(
      `${first.length > 0 ? `WITH ${first.join(', ')} ` : ''}${parts[parts.length - 1]}`,
      params,
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
    // A request has two channels that can be due (push, e-mail), so the first 2 × limit due
    // channels hold the first `limit` requests: the backlog beyond them is not grouped.
    const rows: { request_id: string }[] = await this.dataSource.query(
      `SELECT request_id
         FROM (SELECT request_id, next_attempt_at FROM phx_deliveries
                WHERE status IN ('pending', 'sending') AND next_attempt_at <= now()
                ORDER BY next_attempt_at
                LIMIT 2 * $1) due
        GROUP BY request_id
        ORDER BY min(next_attempt_at)
        LIMIT $1`,
      [limit],
    );
    return rows.map((row) => row.request_id);
  }

  /** Closes requests once no channel is left to send; each status sums up its channels. */
  async completeMany(outcomes: PhxRequestOutcome[]): Promise<void> {
    if (outcomes.length === 0) return;
    await this.dataSource.query(completeRequests(['$1', '$2', '$3']), outcomeColumns(outcomes));
  }
}
