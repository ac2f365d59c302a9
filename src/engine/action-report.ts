import { digestKey, parseDigestKey } from '../hash/digest.js';
import type { OutputRecord } from '../rule/output.js';
import type { TargetReport } from './build-result.js';
import type { ActionValue } from './requests/action.js';
import { sizeReport } from './size-report.js';

/** How a target's outputs appear in its report: name, digest key, size. */
export function outputSummary(outputs: readonly OutputRecord[]): TargetReport['outputs'] {
  return outputs.map((o) => ({ name: o.name, digest: digestKey(o.digest), size: o.digest.size }));
}

/**
 * The part of a target's report that its action's value decides, the same whether the action
 * just ran, came from the cache or was still valid in watch mode.
 */
export function resultFacts(value: ActionValue): Pick<TargetReport, 'outputs' | 'diagnostics' | 'stats' | 'size'> {
  const srcs = Object.entries(value.inputs.srcs).map(([path, key]) => ({ path, digest: parseDigestKey(key) ?? { hash: key, size: 0 } }));
  return { outputs: outputSummary(value.outputs), diagnostics: value.diagnostics, stats: value.stats, size: sizeReport(srcs, value.outputs, value.stats) };
}
