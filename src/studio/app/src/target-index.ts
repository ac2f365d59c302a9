/** The graph in the page: rows by label, reverse dependencies, and the filtered, searched view. */
import type { GraphView, TargetRow } from './api.js';

export interface TargetFilter {
  search: string;
  type: string;
  pkg: string;
  /** Only targets built for this platform (labels from the kept builds), or with their own overrides for it. */
  platform: string;
  builtOn?: ReadonlySet<string>;
}

export class TargetIndex {
  readonly byLabel = new Map<string, TargetRow>();
  readonly rdeps = new Map<string, string[]>();
  readonly types: string[];
  readonly packages: string[];

  constructor(readonly view: GraphView) {
    for (const row of view.targets) this.byLabel.set(row.label, row);
    for (const row of view.targets) {
      for (const dep of row.deps) {
        let list = this.rdeps.get(dep);
        if (!list) this.rdeps.set(dep, (list = []));
        list.push(row.label);
      }
    }
    this.types = [...new Set(view.targets.map((t) => t.type))].sort();
    this.packages = [...new Set(view.targets.map((t) => t.pkg))].sort();
  }

  /** Every term of the search must appear in the label, rule or type (case-insensitive). */
  filter(filter: TargetFilter): TargetRow[] {
    const terms = filter.search.toLowerCase().split(/\s+/).filter(Boolean);
    return this.view.targets.filter((t) => {
      if (filter.type && t.type !== filter.type) return false;
      if (filter.pkg && t.pkg !== filter.pkg) return false;
      if (filter.platform && !t.overrides.includes(filter.platform) && !filter.builtOn?.has(t.label)) return false;
      if (terms.length === 0) return true;
      const hay = `${t.label} ${t.rule} ${t.type}`.toLowerCase();
      return terms.every((term) => hay.includes(term));
    });
  }
}
