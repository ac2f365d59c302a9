import { Graph as GraphImpl, alg } from '@dagrejs/graphlib';
import { nearestN } from '../rule/nearest.js';
import { LocatedError, LocatedErrors } from '../workspace/located-error.js';
import type { Package } from '../workspace/package-loader.js';
import { positionIn, type TargetDecl } from '../workspace/target-decl.js';
import { parseTargetPattern, type TargetPattern } from '../workspace/target-pattern.js';
import type { Workspace } from '../workspace/workspace.js';
import { CycleError } from './cycle-error.js';

type Graph = GraphImpl<Record<string, never>, TargetDecl, Record<string, never>>;

/** The analysed DAG: edges point from a target to each of its dependencies. */
export class TargetGraph {
  private readonly depsMemo = new Map<string, string[]>();

  private constructor(
    private readonly graph: Graph,
    /** The labels the user asked for (patterns expanded), in a stable order. */
    readonly requested: string[],
    /** Targets that cannot build, with why (bad declaration, unresolved dependency). */
    readonly broken: Map<string, LocatedError[]>,
  ) {}

  /** Expand patterns and load everything they reach. Throws on unknown requested labels and cycles. */
  static build(workspace: Workspace, patterns: readonly string[]): TargetGraph {
    const builder = new GraphBuilder(workspace);
    const requested = builder.expandPatterns(patterns);
    for (const label of requested) builder.visit(label, []);
    return new TargetGraph(builder.graph, requested, builder.broken);
  }

  has(label: string): boolean {
    return this.graph.hasNode(label);
  }

  target(label: string): TargetDecl {
    const node = this.graph.node(label);
    if (!node) throw new Error(`not in graph: ${label}`);
    return node;
  }

  get labels(): string[] {
    return this.graph.nodes().sort();
  }

  /** Direct dependencies in declaration order (glob members after, by name). Memoised: the graph is immutable. */
  depsOf(label: string): string[] {
    let deps = this.depsMemo.get(label);
    if (!deps) {
      const declared = this.graph.node(label)?.deps ?? [];
      const order = new Map(declared.map((dep, index) => [dep, index]));
      const rank = (dep: string) => order.get(dep) ?? Number.MAX_SAFE_INTEGER;
      deps = (this.graph.successors(label) ?? []).slice().sort((a: string, b: string) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
      this.depsMemo.set(label, deps);
    }
    return deps;
  }

  /** Direct dependents. */
  rdepsOf(label: string): string[] {
    return (this.graph.predecessors(label) ?? []).slice().sort();
  }

  /** `label` and everything it depends on, transitively, dependencies first. */
  closure(label: string): string[] {
    const seen = new Set<string>();
    const order: string[] = [];
    const visit = (node: string): void => {
      if (seen.has(node)) return;
      seen.add(node);
      for (const dep of this.depsOf(node)) visit(dep);
      order.push(node);
    };
    visit(label);
    return order;
  }

  /** Everything that depends on `label`, transitively (not including it). */
  reverseClosure(label: string): string[] {
    const seen = new Set<string>();
    const stack = [label];
    while (stack.length > 0) {
      for (const parent of this.rdepsOf(stack.pop()!)) {
        if (!seen.has(parent)) {
          seen.add(parent);
          stack.push(parent);
        }
      }
    }
    return [...seen].sort();
  }

  /** All nodes, dependencies before dependents (stable). */
  topologicalOrder(): string[] {
    return alg.topsort(this.graph).reverse();
  }

  toDot(labels: readonly string[] = this.labels): string {
    const included = new Set(labels);
    const lines = ['digraph kiln {', '  rankdir=LR;', '  node [shape=box, fontname="monospace"];'];
    for (const label of [...included].sort()) {
      const decl = this.graph.node(label);
      lines.push(`  "${label}" [label="${label}\\n(${decl?.rule ?? '?'})"];`);
    }
    for (const label of [...included].sort()) {
      for (const dep of this.depsOf(label)) if (included.has(dep)) lines.push(`  "${label}" -> "${dep}";`);
    }
    lines.push('}');
    return `${lines.join('\n')}\n`;
  }
}

class GraphBuilder {
  readonly graph: Graph = new GraphImpl({ directed: true });
  readonly broken = new Map<string, LocatedError[]>();
  private readonly done = new Set<string>();
  private readonly onPath = new Set<string>();

  constructor(private readonly workspace: Workspace) {}

  expandPatterns(patterns: readonly string[]): string[] {
    const labels = new Set<string>();
    for (const text of patterns) {
      let pattern: TargetPattern;
      try {
        pattern = parseTargetPattern(text);
      } catch (error) {
        throw new LocatedError((error as Error).message, undefined, text);
      }
      if (pattern.kind === 'subtree') {
        const packages = this.workspace.listPackages(pattern.prefix);
        if (packages.length === 0) throw new LocatedError(`no packages under //${pattern.prefix}`, undefined, text);
        for (const pkg of packages) this.addPackage(pkg, labels);
      } else if (pattern.kind === 'package') {
        this.requirePackage(pattern.pkg, text);
        this.addPackage(pattern.pkg, labels);
      } else {
        const pkg = this.requirePackage(pattern.pkg, text);
        const resolved = this.resolveName(pkg, pattern.name);
        if (!resolved) throw new LocatedError(this.unknownTarget(pkg, pattern.name), { file: this.workspace.packageFile(pkg.pkg) }, text);
        for (const label of resolved) labels.add(label);
      }
    }
    return [...labels];
  }

  private addPackage(pkgName: string, into: Set<string>): void {
    const pkg = this.workspace.package(pkgName);
    for (const name of pkg.targets.keys()) into.add(`//${pkgName}:${name}`);
    for (const [name, errors] of pkg.broken) {
      const label = `//${pkgName}:${name}`;
      into.add(label);
      this.broken.set(label, errors);
    }
  }

  private requirePackage(pkgName: string, text: string): Package {
    if (!this.workspace.hasPackage(pkgName)) {
      const near = nearestN(pkgName, this.workspace.listPackages(), 3);
      throw new LocatedError(`no package //${pkgName}${near.length ? ` (nearest: ${near.map((p) => `//${p}`).join(', ')})` : ''}`, undefined, text);
    }
    return this.workspace.package(pkgName);
  }

  /** Labels a name resolves to: the target itself, or every member of a glob group. */
  private resolveName(pkg: Package, name: string): string[] | undefined {
    if (pkg.targets.has(name) || pkg.broken.has(name)) {
      const label = `//${pkg.pkg}:${name}`;
      const errors = pkg.broken.get(name);
      if (errors) this.broken.set(label, errors);
      return [label];
    }
    const members = pkg.groups.get(name);
    if (members) return members.map((member) => `//${pkg.pkg}:${member}`);
    return undefined;
  }

  private unknownTarget(pkg: Package, name: string): string {
    const names = [...pkg.targets.keys(), ...pkg.groups.keys()];
    const near = nearestN(name, names, 3);
    return `no target "${name}" in //${pkg.pkg}${near.length ? ` (nearest: ${near.map((n) => `:${n}`).join(', ')})` : ''}`;
  }

  /** Depth-first: add `label` and its dependencies; `path` is the chain that led here (for cycles). */
  visit(label: string, path: string[]): void {
    if (this.done.has(label)) return;
    if (this.onPath.has(label)) {
      const start = path.indexOf(label);
      throw new CycleError([...path.slice(start), label]);
    }
    const colon = label.indexOf(':');
    const pkg = this.workspace.package(label.slice(2, colon));
    const decl = pkg.targets.get(label.slice(colon + 1));
    if (!decl) {
      // A broken declaration: keep a placeholder node so dependents fail with a reason.
      this.graph.setNode(label, brokenPlaceholder(label, pkg));
      this.done.add(label);
      return;
    }
    this.graph.setNode(label, decl);
    this.onPath.add(label);
    const errors: LocatedError[] = [];
    decl.deps.forEach((depLabel, index) => {
      const resolved = this.resolveDep(decl, depLabel, index, errors);
      for (const dep of resolved) {
        if (dep === label) {
          throw new CycleError([label, label]);
        }
        this.visit(dep, [...path, label]);
        this.graph.setEdge(label, dep);
      }
    });
    this.onPath.delete(label);
    this.done.add(label);
    if (errors.length > 0) this.broken.set(label, errors);
  }

  private resolveDep(decl: TargetDecl, depLabel: string, index: number, errors: LocatedError[]): string[] {
    const colon = depLabel.indexOf(':');
    const pkgName = depLabel.slice(2, colon);
    const name = depLabel.slice(colon + 1);
    // Positions cost a YAML parse with positions: compute them only for an actual error.
    const where = () => positionIn(decl, ['deps', index]);
    if (!this.workspace.hasPackage(pkgName)) {
      const near = nearestN(pkgName, this.workspace.listPackages(), 3);
      errors.push(new LocatedError(`dependency ${depLabel}: no package //${pkgName}${near.length ? ` (nearest: ${near.map((p) => `//${p}`).join(', ')})` : ''}`, where(), decl.label));
      return [];
    }
    let pkg: Package;
    try {
      pkg = this.workspace.package(pkgName);
    } catch (error) {
      if (error instanceof LocatedError) errors.push(error);
      else if (error instanceof LocatedErrors) errors.push(...error.errors);
      else throw error;
      return [];
    }
    const resolved = this.resolveName(pkg, name);
    if (!resolved) {
      errors.push(new LocatedError(`dependency ${depLabel}: ${this.unknownTarget(pkg, name)}`, where(), decl.label));
      return [];
    }
    return resolved;
  }
}

function brokenPlaceholder(label: string, pkg: Package): TargetDecl {
  const colon = label.indexOf(':');
  const name = label.slice(colon + 1);
  return {
    label,
    pkg: pkg.pkg,
    name,
    rule: '',
    srcs: [],
    deps: [],
    priority: 'normal',
    attrs: {},
    packageDefaults: {},
    platformAttrs: {},
    file: pkg.file,
    yamlPath: ['targets', name],
  };
}
