/**
 * Runs one rule's cook through the engine's own `ActionContext`, over an in-memory workspace
 * (`MemoryFiles`) and a `MemoryBlobStore` — no disk, no builder (Bevy's memory-asset-source
 * idea). What a build checks, this checks too: attributes and platform settings go through the
 * rule's schemas (an unknown or mistyped one fails with the same `unknown-key` / `bad-attribute`
 * diagnostics, pointing into a generated assets.yaml), schema defaults are applied the way the
 * engine applies them, sources are read against their digests, and outputs, discovered reads,
 * warnings and stats are recorded by the same code the action cache stores.
 */
import { stringify } from 'yaml';
import { ActionContext } from '../../src/engine/action-context.js';
import { LocalActionIO } from '../../src/engine/runner/local-action-io.js';
import type { ActionUnit } from '../../src/engine/runner/action-unit.js';
import { MemoryFiles } from '../../src/engine/runner/memory-files.js';
import { digestKey, digestOf } from '../../src/hash/digest.js';
import type { LoadPriority } from '../../src/format/asset-type.js';
import type { CookMode, DepInfo, Diagnostic, SourceRef } from '../../src/rule/context.js';
import type { OutputRecord } from '../../src/rule/output.js';
import type { AnyRule } from '../../src/rule/rule.js';
import type { ObjectSchema } from '../../src/rule/schema.js';
import { MemoryBlobStore } from '../../src/store/memory-store.js';
import { assetIdOf } from '../../src/workspace/label.js';
import { issuesToError } from '../../src/workspace/workspace-config.js';
import { YamlFile } from '../../src/workspace/yaml-file.js';

export interface HarnessInput {
  /** Label of the target, e.g. `//pkg:name`. */
  label?: string;
  /** What the target (with its package `defaults:` and platform overrides) sets; checked by the rule's schema. */
  attrs?: Record<string, unknown>;
  /** The platform and what its profile sets for this rule; checked by the rule's settings schema. */
  platform?: { name: string; settings: Record<string, unknown> };
  /** Workspace-relative path → bytes. `srcs` must be keys of this map. */
  files?: Record<string, Uint8Array | string>;
  srcs?: string[];
  deps?: DepInfo[];
  closure?: DepInfo[];
  /** Blobs already in the store (dependency outputs), keyed by digest key. */
  blobs?: Map<string, Uint8Array>;
  priority?: LoadPriority;
  /** Workspace-relative package folder; defaults to the label's package path. */
  pkgDir?: string;
}

export interface HarnessResult {
  outputs: OutputRecord[];
  blobs: Map<string, Uint8Array>;
  /** The rule's warnings, as a build reports them (`rule-warning`, the target's label, a location). */
  diagnostics: Diagnostic[];
  stats: Record<string, number | string | boolean>;
  /** Paths read through `readFile` (discovered inputs), with whether they existed. */
  discovered: Map<string, boolean>;
  /** The attributes and settings the cook saw, after schema defaults. */
  attrs: Record<string, unknown>;
  settings: Record<string, unknown>;
  bytes(name: string): Uint8Array;
}

/**
 * Check `values` against `schema` as the workspace loader does; on failure throw the loader's
 * error, located in a generated YAML document holding the values at `path`.
 */
function checkLikeTheLoader(schema: ObjectSchema<object>, values: Record<string, unknown>, path: string[], file: string, label?: string): void {
  const check = schema.parse(values);
  if (check.value) return;
  let doc: unknown = values;
  for (const key of [...path].reverse()) doc = { [key]: doc };
  throw issuesToError(YamlFile.parse(stringify(doc), file), check.issues, path, label);
}

export async function runRule(rule: AnyRule, input: HarnessInput, mode: CookMode = 'cook'): Promise<HarnessResult> {
  const label = input.label ?? '//test:target';
  const [pkgPart = '', name = ''] = label.slice(2).split(':');
  const pkgDir = input.pkgDir ?? pkgPart;
  const files = new MemoryFiles(Object.entries(input.files ?? {}).map(([p, b]) => [p, typeof b === 'string' ? new TextEncoder().encode(b) : b]));
  const srcs: SourceRef[] = [];
  for (const path of input.srcs ?? []) {
    const bytes = (await files.readFile(path)).bytes;
    if (!bytes) throw new Error(`harness: source ${path} not in files`);
    srcs.push({ path, digest: digestOf(bytes) });
  }

  const given = input.attrs ?? {};
  checkLikeTheLoader(rule.attributes, given, ['targets', name], `${pkgDir ? `${pkgDir}/` : ''}assets.yaml`, label);
  const platform = input.platform ?? { name: 'desktop', settings: {} };
  let settings = platform.settings;
  if (rule.platformSettings) {
    checkLikeTheLoader(rule.platformSettings, settings, ['platforms', platform.name, rule.name], 'assets.yaml');
    settings = { ...rule.platformSettings.defaults, ...settings };
  }
  // The engine's precedence (src/engine/requests/action.ts): schema defaults under what the target sets.
  const attrs = { ...rule.defaults, ...given };

  const unit: ActionUnit = {
    rule: { name: rule.name, version: rule.version },
    label,
    pkg: pkgPart,
    pkgDir,
    name,
    assetId: assetIdOf(label),
    priority: input.priority ?? 'normal',
    attrs,
    platform: { name: platform.name, settings },
    srcs,
    deps: input.deps ?? [],
    closure: input.closure ?? input.deps ?? [],
    discovered: {},
    tools: {},
  };
  const store = new MemoryBlobStore();
  for (const [key, bytes] of input.blobs ?? []) store.blobs.set(key, bytes);
  const io = new LocalActionIO(files, store);
  const ctx = new ActionContext(unit, io, new AbortController().signal, mode);
  try {
    await rule.cook(ctx);
  } finally {
    await io.dispose();
  }
  const discovered = new Map(Object.entries(ctx.discovered).map(([path, digest]) => [path, digest !== 'absent']));
  return {
    outputs: ctx.outputs,
    blobs: store.blobs,
    diagnostics: ctx.diagnostics,
    stats: ctx.stats,
    discovered,
    attrs,
    settings,
    bytes(outName) {
      const record = ctx.outputs.find((o) => o.name === outName);
      if (!record) throw new Error(`no output ${outName}; have ${ctx.outputs.map((o) => o.name).join(', ')}`);
      return store.blobs.get(digestKey(record.digest))!;
    },
  };
}
