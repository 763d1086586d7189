/**
 * The least a service can do for an accepted notification, as the CPU reference of bench:phx:
 * a bare Fastify server whose `POST /emit/inapp-noti` inserts the request as one row with `pg`
 * and answers 202 as the Producer does. No validation, no decision, no delivery: what it costs
 * per request is the floor that HTTP + JSON + one PostgreSQL insert put under any design.
 * Env: PORT, DATABASE_URL, DATABASE_SCHEMA (created here), DATABASE_POOL_SIZE.
 */
import Fastify from 'fastify';
import { Pool } from 'pg';

async function main(): Promise<void> {
  const schema = process.env.DATABASE_SCHEMA ?? 'bench_phx_reference';
  const pool = new Pool({
    connectionString: process.env.DATABASE_URL,
    max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
  });
  await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  await pool.query(
    `CREATE TABLE IF NOT EXISTS "${schema}".notifications (
       id bigserial PRIMARY KEY,
       user_id text NOT NULL,
       payload jsonb NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now()
     )`,
  );
  const insert = `INSERT INTO "${schema}".notifications (user_id, payload) VALUES ($1, $2) RETURNING id`;
  const app = Fastify({ logger: false });
  app.get('/health/live', (_request, reply) => reply.send({ status: 'ok' }));
  app.post<{ Body: { user_id?: unknown } }>('/emit/inapp-noti', async (request, reply) => {
    const { rows } = await pool.query<{ id: string }>(insert, [
      String(request.body.user_id),
      request.body,
    ]);
    return reply.code(202).send({ status: 'accepted', message: 'stored', id: rows[0].id });
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
