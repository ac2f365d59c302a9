import type { LoadPriority } from '../format/asset-type.js';
import type { SourcePosition } from './located-error.js';
import type { YamlFile } from './yaml-file.js';

/** One target as declared (after glob expansion and attribute checks), before analysis. */
export interface TargetDecl {
  label: string;
  pkg: string;
  name: string;
  rule: string;
  /** Workspace-relative source paths, `/`-separated. */
  srcs: string[];
  /** Absolute labels as written (a label may name a glob group, expanded during analysis). */
  deps: string[];
  priority: LoadPriority;
  /** Attributes written on the target. */
  attrs: Record<string, unknown>;
  /** The package's `defaults:` for this target's rule. */
  packageDefaults: Record<string, unknown>;
  /** platform → attribute overrides. */
  platformAttrs: Record<string, Record<string, unknown>>;
  /** The glob group this target was expanded from, if any. */
  group?: string;
  file: YamlFile;
  /** Path of the target's mapping inside the YAML file: ['targets', name]. */
  yamlPath: (string | number)[];
}

/** Where in its assets.yaml a part of the target is written (`['srcs', 0]`, `['deps', 2]`, `[]`). */
export function positionIn(target: TargetDecl, path: readonly (string | number)[] = []): SourcePosition {
  return target.file.positionOf([...target.yamlPath, ...path]);
}
