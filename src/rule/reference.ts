/**
 * Labels written inside a source file (a material's shader, a particle's texture). The engine
 * only builds graph edges from a target's `deps`, so a reference that is not also a dependency
 * would silently cook against nothing: it is an error that points at the reference.
 */
import { formatLabel, LabelSyntaxError, parseLabel } from '../workspace/label.js';
import type { AssetType } from '../format/asset-type.js';
import type { DepInfo, Location, RuleContext } from './context.js';
import { RuleError } from './rule-error.js';

/** Resolve `text` (absolute, or `:name` relative to the target's package) to one of `ctx.deps`. */
export function resolveReference(
  ctx: Pick<RuleContext, 'pkg' | 'label' | 'deps'>,
  text: string,
  where: Location,
  expected?: readonly AssetType[],
): DepInfo {
  let label: string;
  try {
    label = formatLabel(parseLabel(text, ctx.pkg));
  } catch (error) {
    if (error instanceof LabelSyntaxError) throw new RuleError(error.message, where);
    throw error;
  }
  const dep = ctx.deps.find((d) => d.label === label);
  if (!dep) {
    throw new RuleError(`${label} is referenced but is not a dependency of ${ctx.label}: add "${text}" to its deps in assets.yaml`, where);
  }
  if (expected && !expected.includes(dep.type)) {
    throw new RuleError(`${label} is a ${dep.type} (rule ${dep.rule}); expected ${expected.join(' or ')}`, where);
  }
  return dep;
}
