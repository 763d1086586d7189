/**
 * reference-server.ts with its inserts batched, as the Producer batches its own (MicroBatcher):
 * the requests that arrive together are stored in one multi-row insert, each answered 202 once
 * it is stored. bench:phx-floor counts accepting at the cheaper of the two, since one insert per
 * request is not the least a service can do. Ids are made here, so the insert returns nothing.
 * Env: PORT, DATABASE_URL, DATABASE_SCHEMA (created here), DATABASE_POOL_SIZE.
 */
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { Pool } from 'pg';

// As the Producer's MicroBatcher: at most this many requests per statement.
const MAX_BATCH = 200;

interface Waiting {
  id: string;
  body: { user_id?: unknown };
  stored: (error?: Error) => void;
}

async function main(): Promise<void> {
  const schema = process.env.DATABASE_SCHEMA ?? 'bench_phx_floor_accept';
  const pool = new Pool({
    connectionString: process.env.DATABASE_URL,
    max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
  });
  await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  await pool.query(
    `CREATE TABLE IF NOT EXISTS "${schema}".notifications (
       id uuid PRIMARY KEY,
       user_id text NOT NULL,
       payload jsonb NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now()
     )`,
  );
  const insert = `INSERT INTO "${schema}".notifications (id, user_id, payload)
    SELECT id, user_id, payload FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, user_id text, payload jsonb)`;
  const waiting: Waiting[] = [];
  const flush = () => {
    const batch = waiting.splice(0, MAX_BATCH);
    if (waiting.length > 0) setImmediate(flush);
    const rows = batch.map(({ id, body }) => ({
      id,
      user_id: String(body.user_id),
      payload: body,
    }));
    pool.query({ name: 'insert', text: insert, values: [JSON.stringify(rows)] }).then(
      () => batch.forEach(({ stored }) => stored()),
      (error: Error) => batch.forEach(({ stored }) => stored(error)),
    );
  };
  const app = Fastify({ logger: false });
  app.get('/health/live', (_request, reply) => reply.send({ status: 'ok' }));
  app.post<{ Body: { user_id?: unknown } }>('/emit/inapp-noti', async (request, reply) => {
    const id = randomUUID();
    await new Promise<void>((resolve, reject) => {
      // The requests read from the sockets in this turn of the event loop go together.
      if (waiting.length === 0) setImmediate(flush);
      waiting.push({
        id,
        body: request.body,
        stored: (error) => (error === undefined ? resolve() : reject(error)),
      });
    });
    return reply.code(202).send({ status: 'accepted', message: 'stored', id });
  });
  await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
  process.once('SIGTERM', () => {
    void app.close().then(() => pool.end());
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
