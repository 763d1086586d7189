/** A connection to run statements on: a DataSource, or a QueryRunner to keep one session. */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

interface Definition {
  table: string;
  name: string;
  definition: string;
}

/**
 * Runs `load` (big INSERT … SELECTs into `tables`) without their indexes and keys, then builds
 * them again from the catalog's own definitions, names included: one sort per index instead of
 * one random B-tree insert per row and index, and foreign keys checked in one join. Foreign keys
 * of other tables that point at `tables` go and come back too. Run it on one session: it sets
 * `maintenance_work_mem` for the builds.
 */
export async function loadWithoutIndexes(
  session: Queryable,
  tables: string[],
  load: () => Promise<void>,
): Promise<void> {
  const constraints = (await session.query(
    `SELECT c.conrelid::regclass::text AS table, c.conname AS name,
            pg_get_constraintdef(c.oid) AS definition, c.contype AS kind
       FROM pg_constraint c
      WHERE c.contype IN ('p', 'u', 'f')
        AND (c.conrelid = ANY($1::text[]::regclass[]) OR c.confrelid = ANY($1::text[]::regclass[]))`,
    [tables],
  )) as (Definition & { kind: string })[];
  const indexes = (await session.query(
    `SELECT i.indrelid::regclass::text AS table, i.indexrelid::regclass::text AS name,
            pg_get_indexdef(i.indexrelid) AS definition
       FROM pg_index i
      WHERE i.indrelid = ANY($1::text[]::regclass[])
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                         WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u'))`,
    [tables],
  )) as Definition[];
  const foreignKeys = constraints.filter((c) => c.kind === 'f');
  const keys = constraints.filter((c) => c.kind !== 'f');

  for (const { table, name } of [...foreignKeys, ...keys]) {
    await session.query(`ALTER TABLE ${table} DROP CONSTRAINT "${name}"`);
  }
  for (const { name } of indexes) await session.query(`DROP INDEX ${name}`);
  await load();
  await session.query(`SET maintenance_work_mem = '1GB'`);
  for (const { definition } of indexes) await session.query(definition);
  for (const { table, name, definition } of [...keys, ...foreignKeys]) {
    await session.query(`ALTER TABLE ${table} ADD CONSTRAINT "${name}" ${definition}`);
  }
  await session.query(`RESET maintenance_work_mem`);
}
