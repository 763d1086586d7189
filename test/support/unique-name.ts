import { randomBytes } from 'node:crypto';

/** Topic, queue, group and channel names of one test file, so files never share state. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}
