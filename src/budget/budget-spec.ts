/**
 * Where budgets are declared, for one platform:
 * - on a `bundle` target, as attributes (`max_download_bytes: …`, per platform under `platforms:`),
 *   covering the bundle's whole dependency closure;
 * - in the root `assets.yaml` under `budgets:`, keyed by a label or pattern (`//levels/...`,
 *   `//levels/forest:all`), covering the matched targets and everything they depend on.
 * A root entry may have its own `platforms:` block; the platform's keys win.
 */
import { s } from '../rule/schema.js';
import type { TargetGraph } from '../graph/target-graph.js';
import { LocatedError, LocatedErrors, type SourcePosition } from '../workspace/located-error.js';
import { positionIn } from '../workspace/target-decl.js';
import { parseTargetPattern } from '../workspace/target-pattern.js';
import { issuesToError, type WorkspaceConfig } from '../workspace/workspace-config.js';
import { BUDGET_MEASURES, budgetLimitShape, LIMIT_KEYS, limitsIn, type BudgetLimits, type BudgetMeasure, type BudgetSeverity } from './budget-limits.js';

export interface BudgetSpec {
  /** The bundle label or the pattern the budget is written for. */
  scope: string;
  /** Where the budget is written (the first limit's line). */
  where: SourcePosition;
  limits: Partial<Record<BudgetMeasure, number>>;
  severity: BudgetSeverity;
}

type RootBudget = BudgetLimits & { platforms?: Record<string, BudgetLimits> };

const rootBudgetSchema = s.record(s.object<RootBudget>({ ...budgetLimitShape, platforms: s.record(s.object<BudgetLimits>(budgetLimitShape)) }));

/** Budgets of the `bundle` targets in a graph, for one platform. */
export function bundleBudgets(graph: TargetGraph, platform: string): BudgetSpec[] {
  const specs: BudgetSpec[] = [];
  for (const label of graph.labels) {
    if (graph.broken.has(label)) continue;
    const decl = graph.target(label);
    if (decl.rule !== 'bundle') continue;
    const attrs = { ...decl.packageDefaults, ...decl.attrs, ...(decl.platformAttrs[platform] ?? {}) };
    const limits = limitsIn(attrs);
    const first = BUDGET_MEASURES.find((m) => limits[m] !== undefined);
    if (!first) continue;
    const inPlatform = decl.platformAttrs[platform]?.[LIMIT_KEYS[first]] !== undefined;
    specs.push({
      scope: label,
      where: positionIn(decl, inPlatform ? ['platforms', platform, LIMIT_KEYS[first]] : [LIMIT_KEYS[first]]),
      limits,
      severity: attrs.budget === 'warning' ? 'warning' : 'error',
    });
  }
  return specs;
}

/** Budgets from the root `assets.yaml`, checked against the schema and the known platforms. */
export function workspaceBudgets(config: WorkspaceConfig, platform: string): BudgetSpec[] {
  if (config.budgets === undefined) return [];
  const parsed = rootBudgetSchema.parse(config.budgets);
  if (!parsed.value) throw issuesToError(config.file, parsed.issues, ['budgets']);
  const errors: LocatedError[] = [];
  const specs: BudgetSpec[] = [];
  const known = Object.keys(config.platforms);
  for (const [scope, entry] of Object.entries(parsed.value)) {
    try {
      parseTargetPattern(scope);
    } catch (error) {
      errors.push(new LocatedError(`budget key ${JSON.stringify(scope)} is not a label or pattern: ${(error as Error).message}`, config.file.positionOf(['budgets', scope], true)));
      continue;
    }
    for (const name of Object.keys(entry.platforms ?? {})) {
      if (!known.includes(name)) errors.push(new LocatedError(`unknown platform "${name}"; platforms: ${known.join(', ')}`, config.file.positionOf(['budgets', scope, 'platforms', name], true)));
    }
    const own = entry.platforms?.[platform] ?? {};
    const merged = { ...entry, ...own };
    const limits = limitsIn(merged);
    const first = BUDGET_MEASURES.find((m) => limits[m] !== undefined);
    if (!first) continue;
    const path = own[LIMIT_KEYS[first]] !== undefined ? ['budgets', scope, 'platforms', platform, LIMIT_KEYS[first]] : ['budgets', scope, LIMIT_KEYS[first]];
    specs.push({ scope, where: config.file.positionOf(path), limits, severity: merged.budget === 'warning' ? 'warning' : 'error' });
  }
  if (errors.length > 0) throw new LocatedErrors(errors);
  return specs;
}
