/**
 * Maps workspace files back to the targets that read them: declared sources (glob members
 * included) and discovered inputs from the last successful build. Rebuilt after every build, so a
 * newly discovered `#include` counts from the build that found it.
 */
import type { Builder } from '../engine/builder.js';
import type { TargetGraph } from '../graph/target-graph.js';

export class InputIndex {
  private readonly byPath = new Map<string, Set<string>>();
  /** package name → its folder, workspace-relative ('' for a root package without packages path). */
  readonly packageDirs = new Map<string, string>();

  static of(graph: TargetGraph, builder: Builder): InputIndex {
    const index = new InputIndex();
    const packagesPath = builder.workspace.config.packagesPath;
    for (const label of graph.labels) {
      const decl = graph.target(label);
      index.packageDirs.set(decl.pkg, [packagesPath, decl.pkg].filter(Boolean).join('/'));
      for (const path of decl.srcs) index.add(path, label);
      for (const path of builder.inputsOf(label) ?? []) index.add(path, label);
    }
    return index;
  }

  private add(path: string, label: string): void {
    let labels = this.byPath.get(path);
    if (!labels) this.byPath.set(path, (labels = new Set()));
    labels.add(label);
  }

  get paths(): IterableIterator<string> {
    return this.byPath.keys();
  }

  /** Known inputs at `path` or below it (a folder event stands for everything inside). */
  inputsAt(path: string): string[] {
    if (path === '') return [...this.byPath.keys()];
    const found: string[] = [];
    if (this.byPath.has(path)) found.push(path);
    const prefix = `${path}/`;
    for (const known of this.byPath.keys()) if (known.startsWith(prefix)) found.push(known);
    return found;
  }

  labelsOf(path: string): readonly string[] {
    return [...(this.byPath.get(path) ?? [])];
  }

  /** The package whose folder holds `path` (the deepest one: nested packages own their files). */
  packageOf(path: string): string | undefined {
    let best: string | undefined;
    let bestLength = -1;
    for (const [pkg, dir] of this.packageDirs) {
      const inside = dir === '' || path === dir || path.startsWith(`${dir}/`);
      if (inside && dir.length > bestLength) {
        best = pkg;
        bestLength = dir.length;
      }
    }
    return best;
  }
}
