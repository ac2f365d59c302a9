/**
 * Runs one rule's cook against in-memory files and a memory blob store: no workspace, no engine,
 * no disk (Bevy's memory-asset-source idea). Rule tests use this; engine tests use real workspaces.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { digestKey, digestOf } from '../../src/hash/digest.js';
import { hashParts } from '../../src/hash/part-digests.js';
import type { LoadPriority } from '../../src/format/asset-type.js';
import type { DepInfo, Diagnostic, RuleContext, SourceRef } from '../../src/rule/context.js';
import type { OutputMeta, OutputRecord } from '../../src/rule/output.js';
import type { AnyRule } from '../../src/rule/rule.js';
import { assetIdOf } from '../../src/workspace/label.js';

export interface HarnessInput {
  /** Label of the target, e.g. `//pkg:name`. */
  label?: string;
  attrs?: Record<string, unknown>;
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
  diagnostics: Diagnostic[];
  stats: Record<string, number | string | boolean>;
  /** Paths read through `readFile` (discovered inputs), with whether they existed. */
  discovered: Map<string, boolean>;
  bytes(name: string): Uint8Array;
}

export async function runRule(rule: AnyRule, input: HarnessInput, mode: 'cook' | 'validate' = 'cook'): Promise<HarnessResult> {
  const label = input.label ?? '//test:target';
  const [pkgPart, name = ''] = label.slice(2).split(':');
  const files = new Map(Object.entries(input.files ?? {}).map(([p, b]) => [p, typeof b === 'string' ? new TextEncoder().encode(b) : b]));
  const blobs = input.blobs ?? new Map<string, Uint8Array>();
  const outputs: OutputRecord[] = [];
  const diagnostics: Diagnostic[] = [];
  const stats: Record<string, number | string | boolean> = {};
  const discovered = new Map<string, boolean>();
  const temps: string[] = [];
  const srcs: SourceRef[] = (input.srcs ?? []).map((path) => {
    const bytes = files.get(path);
    if (!bytes) throw new Error(`harness: source ${path} not in files`);
    return { path, digest: digestOf(bytes) };
  });
  const ctx: RuleContext<object, object> = {
    label,
    pkg: pkgPart ?? '',
    pkgDir: input.pkgDir ?? (pkgPart ?? ''),
    name,
    assetId: assetIdOf(label),
    priority: input.priority ?? 'normal',
    attrs: { ...rule.defaults, ...(input.attrs ?? {}) },
    platform: input.platform ?? { name: 'desktop', settings: {} },
    srcs,
    deps: input.deps ?? [],
    closure: input.closure ?? input.deps ?? [],
    signal: new AbortController().signal,
    async readSource(src) {
      const path = typeof src === 'string' ? src : src.path;
      const bytes = files.get(path);
      if (!bytes) throw new Error(`harness: no source ${path}`);
      return bytes;
    },
    async readFile(path) {
      const bytes = files.get(path);
      discovered.set(path, bytes !== undefined);
      return bytes;
    },
    async readOutput(output) {
      const bytes = blobs.get(digestKey(output.digest));
      if (!bytes) throw new Error(`harness: no blob for ${output.name}`);
      return bytes;
    },
    async output(outName: string, bytes: Uint8Array, meta: OutputMeta = {} as OutputMeta) {
      // as ActionContext.output() does: parts leave the meta and are hashed once, here
      const { parts = [], ...rest } = meta;
      const record: OutputRecord = { name: outName, digest: digestOf(bytes), meta: rest as OutputRecord['meta'], parts: hashParts(bytes, parts, outName) };
      blobs.set(digestKey(record.digest), bytes);
      outputs.push(record);
      return record;
    },
    warn(message, where) {
      diagnostics.push({ severity: 'warning', message, ...where });
    },
    stat(statName, value) {
      stats[statName] = value;
    },
    async tempDir() {
      const dir = await mkdtemp(join(tmpdir(), 'kiln-rule-'));
      temps.push(dir);
      return dir;
    },
  };
  try {
    if (mode === 'validate' && rule.validate) await rule.validate(ctx);
    else await rule.cook(ctx);
  } finally {
    await Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true })));
  }
  return {
    outputs,
    blobs,
    diagnostics,
    stats,
    discovered,
    bytes(outName) {
      const record = outputs.find((o) => o.name === outName);
      if (!record) throw new Error(`no output ${outName}; have ${outputs.map((o) => o.name).join(', ')}`);
      return blobs.get(digestKey(record.digest))!;
    },
  };
}
