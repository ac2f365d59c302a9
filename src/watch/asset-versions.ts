/**
 * Turns a target's recorded outputs into the protocol's AssetVersion — the parts carry the
 * digests computed when the rule wrote them, so nothing is read or hashed here — and says which
 * parts differ between two versions, so a client re-uploads only the mips that changed.
 */
import type { Builder } from '../engine/builder.js';
import type { AssetVersion, ChangedMessage, OutputVersion } from '../format/hot-reload-protocol.js';
import { partKey, samePart } from '../format/part.js';
import type { TargetGraph } from '../graph/target-graph.js';
import { digestKey } from '../hash/digest.js';
import { assetIdOf } from '../workspace/label.js';

export class AssetVersions {
  /** The version of `label` the builder holds now (its last good outputs), or undefined. */
  versionOf(builder: Builder, graph: TargetGraph, label: string): AssetVersion | undefined {
    const records = builder.lastOutputs(label);
    if (!records || !graph.has(label)) return undefined;
    const decl = graph.target(label);
    const rule = builder.workspace.rules.get(decl.rule);
    const outputs: OutputVersion[] = records.map((record) => ({ name: record.name, digest: digestKey(record.digest), size: record.digest.size, meta: record.meta, parts: record.parts }));
    return { label, assetId: assetIdOf(label), assetType: rule?.type ?? 'files', priority: decl.priority, rule: decl.rule, outputs };
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
    const held = new Map((before?.parts ?? []).map((p) => [partKey(p), p]));
    for (const part of output.parts) {
      const old = held.get(partKey(part));
      if (!old || !samePart(old, part)) changed.push({ output: output.name, kind: part.kind, index: part.index });
    }
  }
  return changed;
}
