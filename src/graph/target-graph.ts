import { nearestN } from '../rule/nearest.js';
import { LocatedError, LocatedErrors } from '../workspace/located-error.js';
import type { Package } from '../workspace/package-loader.js';
import { positionIn, type TargetDecl } from '../workspace/target-decl.js';
import { parseTargetPattern, type TargetPattern } from '../workspace/target-pattern.js';
import type { PackageSource } from './package-source.js';
import { CycleError } from './cycle-error.js';
import { dependenciesFirst } from './dependencies-first.js';

/**
 * Nodes and edges in plain maps (insertion-ordered): every walk over them is iterative, so a
 * 10,000-long chain or a 10,000-wide fan-in costs time, never stack depth. A node has edge sets
 * only on the sides it has edges (a source target has no dependencies, a bundle no dependents):
 * two empty Sets per node were ~4 MB of a 10k build's graph, held to its end.
 */
class Graph {
  readonly nodes = new Map<string, TargetDecl>();
  readonly successors = new Map<string, Set<string>>();
  readonly predecessors = new Map<string, Set<string>>();

  setNode(label: string, decl: TargetDecl): void {
    this.nodes.set(label, decl);
  }

  setEdge(from: string, to: string): void {
    setOf(this.successors, from).add(to);
    setOf(this.predecessors, to).add(from);
  }
}

function setOf(map: Map<string, Set<string>>, key: string): Set<string> {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  return set;
}

/** The dependencies of every target that has none (most of them): one array, never written to. */
const NO_DEPS: string[] = Object.freeze([]) as unknown as string[];

/** The analysed DAG: edges point from a target to each of its dependencies. */
export class TargetGraph {
  private readonly depsMemo = new Map<string, string[]>();
  private readonly closureMemo = new Map<string, string[]>();
  private order: string[] | undefined;

  private constructor(
    private readonly graph: Graph,
    /** The labels the user asked for (patterns expanded), in a stable order. */
    readonly requested: string[],
    /** Targets that cannot build, with why (bad declaration, unresolved dependency). */
    readonly broken: Map<string, LocatedError[]>,
  ) {}

  /** Expand patterns and load everything they reach. Throws on unknown requested labels and cycles. */
  static build(workspace: PackageSource, patterns: readonly string[]): TargetGraph {
    const builder = new GraphBuilder(workspace);
    const requested = builder.expandPatterns(patterns);
    for (const label of requested) builder.visit(label);
    return new TargetGraph(builder.graph, requested, builder.broken);
  }

  has(label: string): boolean {
    return this.graph.nodes.has(label);
  }

  target(label: string): TargetDecl {
    const node = this.graph.nodes.get(label);
    if (!node) throw new Error(`not in graph: ${label}`);
    return node;
  }

  get labels(): string[] {
    return [...this.graph.nodes.keys()].sort();
  }

  /** Direct dependencies in declaration order (glob members after, by name). Memoised: the graph is immutable. */
  depsOf(label: string): string[] {
    let deps = this.depsMemo.get(label);
    if (!deps) {
      if (!this.graph.successors.has(label)) return NO_DEPS;
      const declared = this.graph.nodes.get(label)?.deps ?? [];
      const order = new Map(declared.map((dep, index) => [dep, index]));
      const rank = (dep: string) => order.get(dep) ?? Number.MAX_SAFE_INTEGER;
      deps = [...(this.graph.successors.get(label) ?? [])].sort((a: string, b: string) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
      this.depsMemo.set(label, deps);
    }
    return deps;
  }

  /** Direct dependents. */
  rdepsOf(label: string): string[] {
    return [...(this.graph.predecessors.get(label) ?? [])].sort();
  }

  /** `label` and everything it depends on, transitively, dependencies first. Memoised (a watch session asks every build); do not mutate. */
  closure(label: string): string[] {
    let closure = this.closureMemo.get(label);
    if (!closure) this.closureMemo.set(label, (closure = dependenciesFirst([label], (node) => this.depsOf(node))));
    return closure;
  }

  /** Everything that depends on `label`, transitively (not including it). */
  reverseClosure(label: string): string[] {
    const seen = new Set<string>();
    const stack = [label];
    while (stack.length > 0) {
      for (const parent of this.graph.predecessors.get(stack.pop()!) ?? []) {
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
    // Memoised like depsOf: a watch session asks for it on every save; do not mutate.
    this.order ??= dependenciesFirst(this.graph.nodes.keys(), (node) => this.depsOf(node));
    return this.order;
  }

  toDot(labels: readonly string[] = this.labels): string {
    const included = new Set(labels);
    const lines = ['digraph kiln {', '  rankdir=LR;', '  node [shape=box, fontname="monospace"];'];
    for (const label of [...included].sort()) {
      const decl = this.graph.nodes.get(label);
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
  readonly graph = new Graph();
  readonly broken = new Map<string, LocatedError[]>();
  private readonly done = new Set<string>();
  private readonly onPath = new Set<string>();

  constructor(private readonly workspace: PackageSource) {}

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

  /**
   * Depth-first with an explicit stack: add `label` and everything it reaches. The stack is the
   * chain that led to the current node, which is also what a cycle error prints.
   */
  visit(label: string): void {
    const stack: VisitFrame[] = [];
    const enter = (node: string): void => {
      if (this.done.has(node)) return;
      if (this.onPath.has(node)) {
        const path = stack.map((frame) => frame.label);
        throw new CycleError([...path.slice(path.indexOf(node)), node]);
      }
      const colon = node.indexOf(':');
      const pkg = this.workspace.package(node.slice(2, colon));
      const decl = pkg.targets.get(node.slice(colon + 1));
      if (!decl) {
        // A broken declaration: keep a placeholder node so dependents fail with a reason.
        this.graph.setNode(node, brokenPlaceholder(node, pkg));
        this.done.add(node);
        return;
      }
      this.graph.setNode(node, decl);
      this.onPath.add(node);
      stack.push({ label: node, decl, depIndex: 0, pending: [], errors: [] });
    };
    enter(label);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      if (frame.pending.length === 0 && frame.depIndex < frame.decl.deps.length) {
        const index = frame.depIndex++;
        frame.pending = this.resolveDep(frame.decl, frame.decl.deps[index]!, index, frame.errors).reverse();
        continue;
      }
      const dep = frame.pending.pop();
      if (dep !== undefined) {
        if (dep === frame.label) throw new CycleError([dep, dep]);
        enter(dep);
        this.graph.setEdge(frame.label, dep);
        continue;
      }
      stack.pop();
      this.onPath.delete(frame.label);
      this.done.add(frame.label);
      if (frame.errors.length > 0) this.broken.set(frame.label, frame.errors);
    }
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

/** One target being visited: its resolved dependencies still to enter, and resolution errors so far. */
interface VisitFrame {
  label: string;
  decl: TargetDecl;
  depIndex: number;
  pending: string[];
  errors: LocatedError[];
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
