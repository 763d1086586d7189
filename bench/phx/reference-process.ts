import { join } from 'node:path';
import { TEST_DATABASE_URL } from '@signal/persistence/testing/test-schema';
import { freePort, ServerProcess, startServer } from '../support/server-process';

/**
 * bench:phx's CPU reference (reference-server.ts) on a free port and its own schema: one pg
 * insert per send (`each`), or the inserts of the sends that arrive together batched (`batched`).
 */
export async function startReferenceServer(
  schema: string,
  inserts: 'each' | 'batched',
): Promise<ServerProcess> {
  return startServer(
    ['-r', 'ts-node/register/transpile-only', join(__dirname, 'reference-server.ts')],
    { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema, REFERENCE_INSERTS: inserts },
    await freePort(),
  );
}
