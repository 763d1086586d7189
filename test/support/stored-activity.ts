import type { TestSchema } from '@signal/persistence/testing/test-schema';

/**
 * The stored activity notifications against what was produced: `produced` maps each event id to
 * its recipients. The unique (dedup_key, recipient_id) constraint already rules out a pair stored
 * twice; what can still go wrong is a pair lost, or an event stored under a key nobody produced
 * (the same event twice, keyed differently) or for a recipient it does not name. Equal to
 * `{ stored: pairs produced, missing: [], unexpected: [] }` when every produced pair is stored
 * exactly once and nothing else is; the lists show the first few pairs at fault.
 */
export async function storedAgainstProduced(
  db: TestSchema,
  produced: ReadonlyMap<string, readonly string[]>,
): Promise<{ stored: number; missing: string[]; unexpected: string[] }> {
  const pair = (eventId: string, recipientId: string) => `${eventId} for ${recipientId}`;
  const rows = await db.dataSource.query<{ dedup_key: string; recipient_id: string }[]>(
    'SELECT dedup_key, recipient_id FROM activity_notifications',
  );
  const stored = rows.map((row) => pair(row.dedup_key, row.recipient_id));
  const storedSet = new Set(stored);
  const expected = new Set(
    [...produced].flatMap(([eventId, recipients]) => recipients.map((r) => pair(eventId, r))),
  );
  return {
    stored: stored.length,
    missing: [...expected].filter((p) => !storedSet.has(p)).slice(0, 10),
    unexpected: stored.filter((p) => !expected.has(p)).slice(0, 10),
  };
}

/** `{ stored: count, missing: [], unexpected: [] }`: what `storedAgainstProduced` answers when all is well. */
export const exactlyOnce = (count: number) => ({ stored: count, missing: [], unexpected: [] });
