/**
 * Turns a target's recorded outputs into the protocol's AssetVersion, with a SHA-256 per streaming
 * part (read once per blob digest and remembered), and says which parts differ between two
 * versions — so a client re-uploads only the mips that changed.
 */
import type { Builder } from '../engine/builder.js';
import type { TargetGraph } from '../graph/target-graph.js';
import { digestKey } from '../hash/digest.js';
import { sha256Hex } from '../hash/digest.js';
import type { StreamPart } from '../rule/output.js';
import type { AssetVersion, ChangedMessage, OutputVersion, PartVersion } from '../format/hot-reload-protocol.js';
import { assetIdOf } from '../workspace/label.js';

export class AssetVersions {
  private readonly partHashes = new Map<string, PartVersion[]>();

  /** The version of `label` the builder holds now (its last good outputs), or undefined. */
  async versionOf(builder: Builder, graph: TargetGraph, label: string): Promise<AssetVersion | undefined> {
    const records = builder.lastOutputs(label);
    if (!records || !graph.has(label)) return undefined;
    const decl = graph.target(label);
    const rule = builder.workspace.rules.get(decl.rule);
    const outputs: OutputVersion[] = [];
    for (const record of records) {
      const { parts: rawParts, ...meta } = record.meta;
      const digest = digestKey(record.digest);
      const parts = Array.isArray(rawParts) && rawParts.length > 0 ? await this.hashParts(builder, record.digest, digest, rawParts as StreamPart[]) : [];
      outputs.push({ name: record.name, digest, size: record.digest.size, meta, parts });
    }
    return { label, assetId: assetIdOf(label), assetType: rule?.type ?? 'files', priority: decl.priority, rule: decl.rule, outputs };
  }

  private async hashParts(builder: Builder, digest: { hash: string; size: number }, key: string, parts: StreamPart[]): Promise<PartVersion[]> {
    const known = this.partHashes.get(key);
    if (known) return known;
    const bytes = await builder.cache.blobs.get(digest);
    if (!bytes) return [];
    const hashed = parts.map((p) => ({ kind: p.kind, index: p.index, offset: p.offset, size: p.size, hash: sha256Hex(bytes.subarray(p.offset, p.offset + p.size)) }));
    this.partHashes.set(key, hashed);
    return hashed;
  }
}

/** Whether two versions have the same output bytes and names. */
export function sameOutputs(a: AssetVersion, b: AssetVersion): boolean {
  return a.outputs.length === b.outputs.length && a.outputs.every((o, i) => o.name === b.outputs[i]!.name && o.digest === b.outputs[i]!.digest);
}

/**
 * Parts of `next` whose bytes differ from `previous`: compared by kind and index, so a part that
 * only moved (an earlier audio chunk grew or shrank) is not listed; a client copies it from the
 * bytes it holds. Every part of a new output is listed.
 */
export function changedParts(previous: AssetVersion | undefined, next: AssetVersion): ChangedMessage['parts'] {
  const changed: ChangedMessage['parts'] = [];
  for (const output of next.outputs) {
    const before = previous?.outputs.find((o) => o.name === output.name);
    if (before?.digest === output.digest) continue;
    const held = new Map((before?.parts ?? []).map((p) => [`${p.kind}:${p.index}`, p]));
    for (const part of output.parts) {
      const old = held.get(`${part.kind}:${part.index}`);
      if (!old || old.hash !== part.hash || old.size !== part.size) changed.push({ output: output.name, kind: part.kind, index: part.index });
    }
  }
  return changed;
}
