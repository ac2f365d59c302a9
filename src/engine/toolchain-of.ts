import { createHash } from 'node:crypto';
import type { Workspace } from '../workspace/workspace.js';

/** Every rule's name@version: a version bump changes the record key of every build. */
export function toolchainOf(workspace: Workspace): string {
  const ids = [...workspace.rules.values()].map((rule) => `${rule.name}@${rule.version}`).sort();
  return createHash('sha256').update(ids.join('\n')).digest('hex');
}
