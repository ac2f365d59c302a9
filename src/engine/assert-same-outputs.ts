import { digestKey } from '../hash/digest.js';
import type { OutputRecord } from '../rule/output.js';
import { diagnosticError } from '../diagnostic/diagnostic.js';

/** Fail the target when two cooks of the same inputs disagree; names the rule and the output. */
export function assertSameOutputs(rule: string, expected: readonly OutputRecord[], actual: readonly OutputRecord[], what: string): void {
  const render = (outputs: readonly OutputRecord[]) => outputs.map((o) => `${o.name}=${digestKey(o.digest)}`).sort();
  const a = render(expected);
  const b = render(actual);
  const differing = b.filter((entry) => !a.includes(entry)).map((entry) => entry.split('=')[0]);
  if (a.length !== b.length || differing.length > 0) {
    throw diagnosticError('not-deterministic', `rule "${rule}" is not deterministic: ${differing.length > 0 ? `output ${differing.join(', ')} differs from ${what}` : `it wrote ${b.length} outputs, ${what} ${a.length}`}; its outputs were not cached or uploaded`);
  }
}
