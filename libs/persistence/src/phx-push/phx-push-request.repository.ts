import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PhxChannel, PhxChannels, PhxDeliveryStatus, PhxRequestStatus } from './phx-channel';
import { preparedQuery } from '../prepared-query';

/** What the Producer answered a request: `accepted` (HTTP 202) or `not_delivered` (200), and why. */
export interface PhxProducerAnswer {
  status: 'accepted' | 'not_delivered';
  message: string;
}

/**
 * The Producer's answer to a request it handed these channels to (none: `reason` says why);
 * `note`, when given, follows an acceptance in parentheses.
 */
export function phxProducerAnswer(
  handedChannels: readonly PhxChannel[],
  reason: string | null,
  note: string | null = null,
): PhxProducerAnswer {
  if (handedChannels.length === 0) {
    return { status: 'not_delivered', message: reason ?? 'not delivered' };
  }
  const channels = PhxChannels.filter((channel) => handedChannels.includes(channel));
  const message = `accepted for delivery through ${channels.join(', ')}`;
  return { status: 'accepted', message: note === null ? message : `${message} (${note})` };
}

/** A request as the Producer stores it, with the decision it made. */
export interface NewPhxPushRequest {
  idempotencyKey: string;
  userId: string;
  studentId: number | null;
  type: string;
  actionCode: string;
  hostname: string;
  payload: Record<string, unknown>;
  status: Extract<PhxRequestStatus, 'accepted' | 'not_delivered'>;
  reason: string | null;
  /** What chose the channels: the setting as it was, or the default for a code without one. */
  decidedBy: string;
  /** The sending HTTP request's, if it had one. */
  correlationId: string | null;
  /** What the Producer answers it, and every repeat of its idempotency key. */
  answer: PhxProducerAnswer;
}

/** The Producer's decision for one channel: `pending` (to deliver) or `skipped` with why. */
export interface NewPhxDelivery {
  channel: PhxChannel;
  status: Extract<PhxDeliveryStatus, 'pending' | 'skipped'>;
  reason: string | null;
}

/** A stored request and the Producer's first answer to it, which every repeat gets. */
export interface PhxStoredRequest {
  id: string;
  userId: string;
  answer: PhxProducerAnswer;
}

/** One request in the delivery log: what the Producer decided and how each channel went. */
export interface PhxDeliveryLogEntry {
  id: string;
  userId: string;
  studentId: number | null;
  type: string;
  actionCode: string;
  hostname: string;
  status: PhxRequestStatus;
  reason: string | null;
  /** What chose the channels, e.g. `no setting: default, all channels`; null before it was kept. */
  decidedBy: string | null;
  /** The sending HTTP request's: the logs of the request and of every delivery attempt carry it. */
  correlationId: string | null;
  createdAt: Date;
  handedOffAt: Date | null;
  completedAt: Date | null;
  deliveries: {
    channel: PhxChannel;
    status: PhxDeliveryStatus;
    reason: string | null;
    attempts: number;
    detail: Record<string, unknown> | null;
    updatedAt: Date;
  }[];
}

interface LogRow {
  id: string;
  user_id: string;
  student_id: string | null;
  type: string;
  action_code: string;
  hostname: string;
  status: PhxRequestStatus;
  reason: string | null;
  decided_by: string | null;
  correlation_id: string | null;
  created_at: Date;
  handed_off_at: Date | null;
  completed_at: Date | null;
  deliveries: (Omit<PhxDeliveryLogEntry['deliveries'][number], 'updatedAt'> & {
    updatedAt: string;
  })[];
}

const LOG_SELECT = `
  SELECT r.id, r.user_id, r.student_id, r.type, r.action_code, r.hostname, r.status, r.reason,
         r.decided_by, r.correlation_id, r.created_at, r.handed_off_at, r.completed_at,
         coalesce((SELECT json_agg(json_build_object(
                     'channel', d.channel, 'status', d.status, 'reason', d.reason,
                     'attempts', d.attempts, 'detail', d.detail, 'updatedAt', d.updated_at)
                   ORDER BY d.channel)
                     FROM phx_deliveries d WHERE d.request_id = r.id), '[]') AS deliveries
    FROM phx_push_requests r`;

function toLogEntry(row: LogRow): PhxDeliveryLogEntry {
  return {
    id: row.id,
    userId: row.user_id,
    studentId: row.student_id === null ? null : Number(row.student_id),
    type: row.type,
    actionCode: row.action_code,
    hostname: row.hostname,
    status: row.status,
    reason: row.reason,
    decidedBy: row.decided_by,
    correlationId: row.correlation_id,
    createdAt: row.created_at,
    handedOffAt: row.handed_off_at,
    completedAt: row.completed_at,
    deliveries: row.deliveries.map((d) => ({ ...d, updatedAt: new Date(d.updatedAt) })),
  };
}

/** The Producer's side of `phx_push_requests` (and the rows of `phx_deliveries` it creates). */
@Injectable()
export class PhxPushRequestRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Stores each request with its deliveries, all in one statement (so atomically), except those
   * whose idempotency key is stored already (or repeated earlier in `items`): these write nothing
   * and get the stored request with `created: false`. A concurrent duplicate waits on the unique
   * key for the first to commit, then reads it. Answers in the order of `items`.
   */
  async insertOnce(
    items: { request: NewPhxPushRequest; deliveries: NewPhxDelivery[] }[],
  ): Promise<{ request: PhxStoredRequest; created: boolean }[]> {
    const firstOfKey = new Map<string, number>();
    items.forEach(({ request }, index) => {
      if (!firstOfKey.has(request.idempotencyKey)) firstOfKey.set(request.idempotencyKey, index);
    });
    const unique = [...firstOfKey.values()].map((index) => items[index]);
    const requests = unique.map(({ request }) => request);
    const deliveries = unique.flatMap(({ request, deliveries }) =>
      deliveries.map(({ channel, status, reason }) => ({
        idempotency_key: request.idempotencyKey,
        channel,
        status,
        reason,
      })),
    );
    // One JSON document per table rather than an array per column: pg escapes array elements in
    // JavaScript.
    const inserted: { id: string; idempotency_key: string }[] = await preparedQuery(
      this.dataSource,
      `WITH request AS (
         INSERT INTO phx_push_requests
           (idempotency_key, user_id, student_id, type, action_code, hostname, payload, status, reason,
            decided_by, correlation_id, answer)
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(
           idempotency_key varchar, user_id varchar, student_id bigint, type varchar,
           action_code varchar, hostname varchar, payload jsonb, status varchar, reason text,
           decided_by text, correlation_id varchar, answer jsonb)
         ON CONFLICT (idempotency_key) DO NOTHING
         RETURNING id, idempotency_key
       ), deliveries AS (
         INSERT INTO phx_deliveries (request_id, channel, status, reason)
         SELECT request.id, d.channel, d.status, d.reason
           FROM jsonb_to_recordset($2::jsonb)
                  AS d(idempotency_key varchar, channel varchar, status varchar, reason text)
           JOIN request USING (idempotency_key)
       )
       SELECT id, idempotency_key FROM request`,
      [
        JSON.stringify(
          requests.map((r) => ({
            idempotency_key: r.idempotencyKey,
            user_id: r.userId,
            student_id: r.studentId,
            type: r.type,
            action_code: r.actionCode,
            hostname: r.hostname,
            payload: r.payload,
            status: r.status,
            reason: r.reason,
            decided_by: r.decidedBy,
            correlation_id: r.correlationId,
            answer: r.answer,
          })),
        ),
        JSON.stringify(deliveries),
      ],
    );
    const createdIdOfKey = new Map(inserted.map((row) => [row.idempotency_key, row.id]));
    const stored = new Map<string, PhxStoredRequest>();
    for (const { request } of unique) {
      const id = createdIdOfKey.get(request.idempotencyKey);
      if (id === undefined) continue;
      stored.set(request.idempotencyKey, { id, userId: request.userId, answer: request.answer });
    }
    const existingKeys = requests
      .map((r) => r.idempotencyKey)
      .filter((key) => !createdIdOfKey.has(key));
    for (const existing of await this.findByIdempotencyKeys(existingKeys)) {
      stored.set(existing.idempotencyKey, existing);
    }
    return items.map(({ request }, index) => {
      const found = stored.get(request.idempotencyKey);
      if (!found) throw new Error(`push request ${request.idempotencyKey} vanished`);
      const created =
        firstOfKey.get(request.idempotencyKey) === index &&
        createdIdOfKey.has(request.idempotencyKey);
      return { request: found, created };
    });
  }

  private async findByIdempotencyKeys(
    keys: string[],
  ): Promise<(PhxStoredRequest & { idempotencyKey: string })[]> {
    if (keys.length === 0) return [];
    // Requests stored before their answer was (migration 1770300000000) get it rebuilt from the
    // channels handed over: Producer-skipped channels are never claimed (attempts 0), the
    // Consumer skips only after a claim. Their reason is the Producer's while none was handed.
    const rows: {
      id: string;
      idempotency_key: string;
      user_id: string;
      answer: PhxProducerAnswer | null;
      reason: string | null;
      handed_channels: PhxChannel[] | null;
    }[] = await this.dataSource.query(
      `SELECT r.id, r.idempotency_key, r.user_id, r.answer, r.reason,
              CASE WHEN r.answer IS NULL THEN
                coalesce((SELECT array_agg(d.channel) FROM phx_deliveries d
                           WHERE d.request_id = r.id AND (d.status <> 'skipped' OR d.attempts > 0)),
                         '{}')
              END AS handed_channels
         FROM phx_push_requests r
        WHERE r.idempotency_key = ANY($1::varchar[])`,
      [keys],
    );
    return rows.map((row) => ({
      id: row.id,
      idempotencyKey: row.idempotency_key,
      userId: row.user_id,
      answer: row.answer ?? phxProducerAnswer(row.handed_channels ?? [], row.reason),
    }));
  }

  /** Records that the Consumer's topic has these requests; returns how many were not marked yet. */
  async markHandedOff(ids: string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const rows: unknown[] = await preparedQuery(
      this.dataSource,
      `WITH marked AS (
         UPDATE phx_push_requests SET handed_off_at = now()
          WHERE id = ANY($1::uuid[]) AND handed_off_at IS NULL
          RETURNING 1
       )
       SELECT * FROM marked`,
      [ids],
    );
    return rows.length;
  }

  /** Accepted requests older than `olderThanMs` whose hand-off to Kafka was never acknowledged. */
  async awaitingHandOff(
    olderThanMs: number,
    limit: number,
  ): Promise<{ id: string; userId: string; correlationId?: string }[]> {
    const rows: { id: string; user_id: string; correlation_id: string | null }[] =
      await this.dataSource.query(
        `SELECT id, user_id, correlation_id FROM phx_push_requests
        WHERE status = 'accepted' AND handed_off_at IS NULL
          AND created_at < now() - make_interval(secs => $1::double precision / 1000)
        ORDER BY created_at
        LIMIT $2`,
        [olderThanMs, limit],
      );
    return rows.map((row) => ({
      id: row.id,
      userId: row.user_id,
      correlationId: row.correlation_id ?? undefined,
    }));
  }

  async deliveryLog(id: string): Promise<PhxDeliveryLogEntry | null> {
    const rows: LogRow[] = await this.dataSource.query(`${LOG_SELECT} WHERE r.id = $1`, [id]);
    return rows[0] ? toLogEntry(rows[0]) : null;
  }

  /** The user's requests, newest first, strictly older than the request `afterId` when given. */
  async userDeliveryLog(
    userId: string,
    page: { actionCode?: string; afterId?: string; limit: number },
  ): Promise<PhxDeliveryLogEntry[]> {
    const rows: LogRow[] = await this.dataSource.query(
      `${LOG_SELECT}
        WHERE r.user_id = $1
          AND ($2::varchar IS NULL OR r.action_code = $2)
          AND ($3::uuid IS NULL
               OR (r.created_at, r.id) < (SELECT created_at, id FROM phx_push_requests WHERE id = $3))
        ORDER BY r.created_at DESC, r.id DESC
        LIMIT $4`,
      [userId, page.actionCode ?? null, page.afterId ?? null, page.limit],
    );
    return rows.map(toLogEntry);
  }
}
