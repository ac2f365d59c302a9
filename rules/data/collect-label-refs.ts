import type { DepInfo } from '../../src/rule/context.js';
import { RuleError } from '../../src/rule/rule-error.js';
import { formatLabel, parseLabel } from '../../src/workspace/label.js';

const LABEL_LIKE = /^(\/\/[A-Za-z0-9_.\-/]*:[^\s]+|:[A-Za-z0-9_.\-/]+)$/;

/**
 * Every string in the data that is a label must name a dependency (so the engine knows the edge
 * and the bundle carries the asset). Returns label → asset id for the output's meta.
 */
export function collectLabelRefs(value: unknown, pkg: string, deps: readonly DepInfo[], file: string): Record<string, string> {
  const byLabel = new Map(deps.map((dep) => [dep.label, dep.assetId]));
  const refs: Record<string, string> = {};
  const visit = (node: unknown, path: string): void => {
    if (typeof node === 'string') {
      if (!LABEL_LIKE.test(node)) return;
      let label: string;
      try {
        label = formatLabel(parseLabel(node, pkg));
      } catch {
        return;
      }
      const id = byLabel.get(label);
      if (!id) throw new RuleError(`${path} refers to ${label}, which is not in this target's deps`, { file });
      refs[label] = id;
    } else if (Array.isArray(node)) node.forEach((item, i) => visit(item, `${path}[${i}]`));
    else if (node !== null && typeof node === 'object') {
      for (const [key, item] of Object.entries(node)) visit(item, path ? `${path}.${key}` : key);
    }
  };
  visit(value, '');
  return Object.fromEntries(Object.entries(refs).sort(([a], [b]) => (a < b ? -1 : 1)));
}
