import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PhxChannel, PhxDeliveryStatus, PhxRequestStatus } from './phx-channel';
import { preparedQuery } from '../prepared-query';

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
  /** The sending HTTP request's, for the logs of its delivery. */
  correlationId: string | null;
  /** Whether its Notification Record is stored. */
  recorded: boolean;
  deliveries: {
    channel: PhxChannel;
    status: PhxDeliveryStatus;
    reason: string | null;
    attempts: number;
  }[];
}

/** One attempt at a channel: final, or `pending` again until its next attempt `retryInMs` from now. */
export type PhxChannelOutcome =
  | {
      status: 'sent' | 'failed' | 'skipped';
      reason: string | null;
      detail?: Record<string, unknown>;
    }
  | { status: 'pending'; reason: string; detail?: Record<string, unknown>; retryInMs: number };

/**
 * The outcome of one claimed attempt. `attempt` is the number {@link PhxDeliveryRepository.claimMany}
 * answered: it fences the claim, so that a sender whose lease ran out (and whose channel another
 * claim took over) can no longer change the channel.
 */
export type PhxChannelSettlement = {
  requestId: string;
  channel: PhxChannel;
  attempt: number;
} & PhxChannelOutcome;

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
  correlation_id: string | null;
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

/**
 * The rows of `alias` whose key is among the requests `ids` and the channels `channels`: repeats
 * a join on (request_id, channel) so that the rows are found through the primary key whatever
 * plan the join gets. Both columns: without statistics `request_id = ANY` alone is estimated at
 * 0.5% of the table per id, and a few dozen ids get a Seq Scan.
 */
const byKey = (alias: string, ids: string, channels: string) =>
  `${alias}.request_id = ANY(${ids}::uuid[]) AND ${alias}.channel = ANY(${channels}::varchar[])`;

/** The distinct ids and channels of `keys`, for {@link byKey}. */
const keyColumns = (keys: { requestId: string; channel: PhxChannel }[]) => [
  [...new Set(keys.map((k) => k.requestId))],
  [...new Set(keys.map((k) => k.channel))],
];

const outcomeColumns = (outcomes: PhxRequestOutcome[]) => [
  outcomes.map((o) => o.requestId),
  outcomes.map((o) => o.status),
  outcomes.map((o) => o.reason),
];

/**
 * The Consumer's side of `phx_deliveries`: claims with a lease so that two processes (or a
 * process and its restarted self) never send the same channel at the same time, each claim
 * fenced by its attempt number so that a sender that outlived its lease cannot overwrite the
 * claim that took over. Each method is one statement, for as many requests as it is given.
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
    const rows: StateRow[] = await preparedQuery(
      this.dataSource,
      `SELECT r.id, r.user_id, r.student_id, r.type, r.action_code, r.hostname, r.payload, r.status,
              r.correlation_id,
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
          correlationId: row.correlation_id,
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
    await preparedQuery(
      this.dataSource,
      `${first.length > 0 ? `WITH ${first.join(', ')} ` : ''}${parts[parts.length - 1]}`,
      params,
    );
  }

  /**
   * Takes those of `channels` that are due — never tried, pending and past their backoff, or
   * `sending` past their lease (their sender died) — and counts the attempt; answers them with
   * the number of this attempt. The others are left alone: finished, waiting for their backoff,
   * or being sent by someone else (a live lease, or a row another statement holds right now).
   */
  async claimMany(
    channels: { requestId: string; channel: PhxChannel }[],
    leaseMs: number,
  ): Promise<{ requestId: string; channel: PhxChannel; attempts: number }[]> {
    if (channels.length === 0) return [];
    const rows: { request_id: string; channel: PhxChannel; attempts: number }[] =
      await preparedQuery(
        this.dataSource,
        `WITH due AS (
           SELECT d.request_id, d.channel
             FROM phx_deliveries d
             JOIN unnest($1::uuid[], $2::varchar[]) AS c(request_id, channel)
               ON d.request_id = c.request_id AND d.channel = c.channel
            WHERE ${byKey('d', '$4', '$5')} AND d.status IN ('pending', 'sending')
              AND (d.next_attempt_at IS NULL OR d.next_attempt_at <= now()
                   -- Never tried: its due time only tells the scheduler when to step in.
                   OR (d.status = 'pending' AND d.attempts = 0))
              FOR UPDATE OF d SKIP LOCKED
         ), claimed AS (
           UPDATE phx_deliveries d
              SET status = 'sending', attempts = d.attempts + 1,
                  next_attempt_at = now() + make_interval(secs => $3::double precision / 1000),
                  updated_at = now()
             FROM due
            WHERE d.request_id = due.request_id AND d.channel = due.channel
              AND ${byKey('d', '$4', '$5')}
            RETURNING d.request_id, d.channel, d.attempts
         )
         SELECT request_id, channel, attempts FROM claimed`,
        [
          channels.map((c) => c.requestId),
          channels.map((c) => c.channel),
          leaseMs,
          ...keyColumns(channels),
        ],
      );
    return rows.map((row) => ({
      requestId: row.request_id,
      channel: row.channel,
      attempts: row.attempts,
    }));
  }

  /**
   * Records the outcomes of claimed channels: final (`sent`, `failed`, `skipped`), or `pending`
   * again with the time of their next attempt. Only a channel still `sending` under the same
   * attempt is changed: answers the settlements that took, the others were superseded. Safe to
   * run again: a settlement that landed already (retried after the connection lost its reply) is
   * answered as taken and changes nothing; a channel keeps its attempt number until the next claim.
   */
  async settleMany(
    settlements: PhxChannelSettlement[],
  ): Promise<{ requestId: string; channel: PhxChannel }[]> {
    if (settlements.length === 0) return [];
    const column = <T>(pick: (settlement: PhxChannelSettlement) => T) => settlements.map(pick);
    const rows: { request_id: string; channel: PhxChannel }[] = await preparedQuery(
      this.dataSource,
      `WITH s AS (
         SELECT * FROM unnest($1::uuid[], $2::varchar[], $3::int[], $4::varchar[], $5::text[],
                              $6::jsonb[], $7::double precision[])
                  AS s(request_id, channel, attempt, status, reason, detail, retry_in_ms)
       ), settled AS (
         UPDATE phx_deliveries d
            SET status = s.status, reason = s.reason, detail = coalesce(s.detail, d.detail),
                next_attempt_at = now() + make_interval(secs => s.retry_in_ms / 1000),
                updated_at = now()
           FROM s
          WHERE d.request_id = s.request_id AND d.channel = s.channel
            AND ${byKey('d', '$8', '$9')}
            AND d.status = 'sending' AND d.attempts = s.attempt
          RETURNING d.request_id, d.channel
       )
       SELECT request_id, channel FROM settled
       UNION ALL
       -- This settlement landed before: no claim since, and the channel says what it says.
       SELECT d.request_id, d.channel
         FROM phx_deliveries d JOIN s ON d.request_id = s.request_id AND d.channel = s.channel
        WHERE ${byKey('d', '$8', '$9')}
          AND d.status <> 'sending' AND d.attempts = s.attempt
          AND d.status = s.status AND d.reason IS NOT DISTINCT FROM s.reason`,
      [
        column((s) => s.requestId),
        column((s) => s.channel),
        column((s) => s.attempt),
        column((s) => s.status),
        column((s) => s.reason),
        column((s) => (s.detail ? JSON.stringify(s.detail) : null)),
        // Final channels keep no schedule.
        column((s) => (s.status === 'pending' ? s.retryInMs : null)),
        ...keyColumns(settlements),
      ],
    );
    return rows.map((row) => ({ requestId: row.request_id, channel: row.channel }));
  }

  /**
   * Makes the push and e-mail of `requestIds` that were never tried due now: their sender is
   * shutting down before sending them, and the due time it set for itself (its lease) would make
   * the next instance wait that long.
   */
  async dueNow(requestIds: string[]): Promise<void> {
    if (requestIds.length === 0) return;
    await this.dataSource.query(
      `UPDATE phx_deliveries SET next_attempt_at = now()
        WHERE request_id = ANY($1::uuid[]) AND channel IN ('push', 'email')
          AND status = 'pending' AND attempts = 0`,
      [requestIds],
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
    await preparedQuery(
      this.dataSource,
      completeRequests(['$1', '$2', '$3']),
      outcomeColumns(outcomes),
    );
  }
}
