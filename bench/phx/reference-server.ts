/**
 * The least a service can do for an accepted notification, as the CPU reference of bench:phx:
 * a bare Fastify server whose `POST /emit/inapp-noti` stores the request as one row with `pg`
 * and answers 202 as the Producer does. No validation, no decision, no delivery: what it costs
 * per request is the floor that HTTP + JSON + a PostgreSQL insert put under any design.
 * REFERENCE_INSERTS=each: one insert per request (bench:phx's reference). `batched`: the requests
 * read in one turn of the event loop stored by one multi-row insert, as the Producer batches its
 * own (bench:phx-floor counts the cheaper of the two).
 * Env: PORT, DATABASE_URL, DATABASE_SCHEMA (created here), DATABASE_POOL_SIZE, REFERENCE_INSERTS.
 */
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { Pool } from 'pg';

// As the Producer's MicroBatcher: at most this many requests per statement.
const MAX_BATCH = 200;

interface Row {
  id: string;
  user_id: string;
  payload: unknown;
}

/** Stores each row on its own; the database makes its id. */
function eachInsert(pool: Pool, table: string) {
  const insert = `INSERT INTO ${table} (user_id, payload) VALUES ($1, $2) RETURNING id`;
  return async ({ user_id, payload }: Omit<Row, 'id'>) => {
    const { rows } = await pool.query<{ id: string }>(insert, [user_id, payload]);
    return rows[0].id;
  };
}

/** Stores the rows handed over in one turn of the event loop with one statement; ids made here. */
function batchedInsert(pool: Pool, table: string) {
  const insert = `INSERT INTO ${table} (id, user_id, payload)
    SELECT id, user_id, payload FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, user_id text, payload jsonb)`;
  const waiting: { row: Row; stored: (error?: Error) => void }[] = [];
  const flush = () => {
    const batch = waiting.splice(0, MAX_BATCH);
    if (waiting.length > 0) setImmediate(flush);
    const rows = JSON.stringify(batch.map(({ row }) => row));
    pool.query({ name: 'insert', text: insert, values: [rows] }).then(
      () => batch.forEach(({ stored }) => stored()),
      (error: Error) => batch.forEach(({ stored }) => stored(error)),
    );
  };
  return (fields: Omit<Row, 'id'>) =>
    new Promise<string>((resolve, reject) => {
      const row = { id: randomUUID(), ...fields };
      if (waiting.length === 0) setImmediate(flush);
      waiting.push({
        row,
        stored: (error) => (error === undefined ? resolve(row.id) : reject(error)),
      });
    });
}

async function main(): Promise<void> {
  const schema = process.env.DATABASE_SCHEMA ?? 'bench_phx_reference';
  const table = `"${schema}".notifications`;
  const pool = new Pool({
    connectionString: process.env.DATABASE_URL,
    max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
  });
  await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  await pool.query(
    `CREATE TABLE IF NOT EXISTS ${table} (
       id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
       user_id text NOT NULL,
       payload jsonb NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now()
     )`,
  );
  const store =
    process.env.REFERENCE_INSERTS === 'batched'
      ? batchedInsert(pool, table)
      : eachInsert(pool, table);
  const app = Fastify({ logger: false });
  app.get('/health/live', (_request, reply) => reply.send({ status: 'ok' }));
  app.post<{ Body: { user_id?: unknown } }>('/emit/inapp-noti', async (request, reply) => {
    const id = await store({ user_id: String(request.body.user_id), payload: request.body });
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
