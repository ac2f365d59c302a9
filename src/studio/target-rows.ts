import { formatDiagnostic } from '../diagnostic/format-diagnostic.js';
/**
 * The target graph as the page draws it: one row per target (label, package, rule, asset type,
 * direct deps, platforms with overrides), plus what could not be read (a broken assets.yaml) with
 * file:line. Reverse dependencies are derived in the page from `deps`.
 */
import { analyze } from '../engine/analyze.js';
import type { Workspace } from '../workspace/workspace.js';

export interface TargetRow {
  label: string;
  pkg: string;
  rule: string;
  type: string;
  deps: string[];
  /** Platforms this target has its own `platforms:` overrides for. */
  overrides: string[];
  priority: string;
  /** Why the target cannot build (its declaration is wrong), with file:line. */
  broken?: string;
}

export interface GraphView {
  workspace: string;
  platforms: string[];
  defaultPlatform: string;
  targets: TargetRow[];
  /** Packages or targets that could not be analysed: `file:line:column: label: message`. */
  errors: { label: string; message: string }[];
}

export function graphView(workspace: Workspace): GraphView {
  const config = workspace.config;
  const { graph, failures } = analyze(workspace, ['//...'], true);
  const targets: TargetRow[] = [];
  for (const label of graph.labels) {
    const decl = graph.target(label);
    const broken = graph.broken.get(label);
    targets.push({
      label,
      pkg: decl.pkg,
      rule: decl.rule,
      type: workspace.rules.get(decl.rule)?.type ?? decl.rule,
      deps: graph.depsOf(label),
      overrides: Object.keys(decl.platformAttrs ?? {}),
      priority: decl.priority,
      ...(broken ? { broken: broken.map((e) => e.format()).join('\n') } : {}),
    });
  }
  const errors = failures.map((f) => ({ label: f.label, message: f.diagnostics.map(formatDiagnostic).join('\n') }));
  for (const row of targets) if (row.broken) errors.push({ label: row.label, message: row.broken });
  return { workspace: config.name, platforms: Object.keys(config.platforms), defaultPlatform: config.defaultPlatform, targets, errors };
}
