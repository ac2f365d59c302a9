import { type Diagnostic, DiagnosticError } from '../diagnostic/diagnostic.js';
/**
 * Analysis for a build: patterns → target graph. A target whose own declaration is wrong is
 * already a broken node that fails alone; what stops analysis as a whole is a package whose
 * `assets.yaml` cannot be parsed (when a pattern needs all its targets) and a dependency cycle.
 *
 * Without `keepGoing` those stop the build before anything runs, as before. With `keepGoing` the
 * build goes on without them: each requested label is analysed on its own to find the ones that
 * cannot be, those become failures (reported like failed targets), the rest form the graph.
 * The per-label pass only runs when the first, whole analysis failed.
 */
import { CycleError } from '../graph/cycle-error.js';
import { TargetGraph } from '../graph/target-graph.js';
import { LocatedError, LocatedErrors } from '../workspace/located-error.js';
import { positionIn } from '../workspace/target-decl.js';
import { parseTargetPattern } from '../workspace/target-pattern.js';
import type { PackageSource } from '../graph/package-source.js';

export interface AnalysisFailure {
  /** The target's label, or the package's (`//levels/forest`) when its assets.yaml is broken. */
  label: string;
  /** Each names the file (with line:column where known) and the label. */
  diagnostics: Diagnostic[];
}

export function analyze(workspace: PackageSource, patterns: readonly string[], keepGoing: boolean): { graph: TargetGraph; failures: AnalysisFailure[] } {
  try {
    return { graph: TargetGraph.build(workspace, patterns), failures: [] };
  } catch (error) {
    if (!keepGoing || !isAnalysisError(error)) throw located(workspace, error);
  }
  const failures = new Map<string, Diagnostic[]>();
  const candidates = new Set<string>();
  for (const text of patterns) {
    const pattern = parseTargetPattern(text);
    if (pattern.kind === 'label') {
      candidates.add(text);
      continue;
    }
    const packages = pattern.kind === 'subtree' ? workspace.listPackages(pattern.prefix) : [pattern.pkg];
    for (const pkg of packages) {
      try {
        const loaded = workspace.package(pkg);
        for (const name of [...loaded.targets.keys(), ...loaded.broken.keys()]) candidates.add(`//${pkg}:${name}`);
      } catch (error) {
        if (!isAnalysisError(error)) throw error;
        failures.set(`//${pkg}`, diagnosticsOf(located(workspace, error), `//${pkg}`));
      }
    }
  }
  const good: string[] = [];
  for (const label of candidates) {
    try {
      TargetGraph.build(workspace, [label]);
      good.push(label);
    } catch (error) {
      if (!isAnalysisError(error)) throw error;
      failures.set(label, diagnosticsOf(located(workspace, error), label));
    }
  }
  return { graph: TargetGraph.build(workspace, good), failures: [...failures].map(([label, diagnostics]) => ({ label, diagnostics })) };
}

function isAnalysisError(error: unknown): boolean {
  return error instanceof LocatedError || error instanceof LocatedErrors || error instanceof CycleError;
}

function diagnosticsOf(error: unknown, label: string): Diagnostic[] {
  if (error instanceof DiagnosticError) return error.diagnostics.map((d) => ({ ...d, label: d.label ?? label }));
  return [{ code: 'cycle', severity: 'error', message: (error as Error).message, label }];
}

/**
 * Give analysis errors a file and a label: a cycle points at the `deps:` of its first target, an
 * error in a package file without a label gets the package's.
 */
function located(workspace: PackageSource, error: unknown): unknown {
  if (error instanceof CycleError) {
    const first = error.cycle[0]!;
    try {
      const colon = first.indexOf(':');
      const decl = workspace.package(first.slice(2, colon)).targets.get(first.slice(colon + 1));
      if (decl) return new LocatedError(error.message, positionIn(decl, ['deps']), first, 'cycle');
    } catch {
      // fall through: the cycle's package cannot be read again; report the cycle as it is
    }
    return error;
  }
  if (error instanceof LocatedError && !error.label && error.where) {
    const pkg = workspace.listPackages().find((p) => workspace.packageFile(p) === error.where!.file);
    if (pkg !== undefined) return new LocatedError(error.message, error.where, `//${pkg}`, error.diagnostics[0]!.code);
  }
  return error;
}
