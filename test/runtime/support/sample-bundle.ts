/** Builds the synthetic forest bundle (and its catalog) through the real bundle rule. */
import { bundleRule } from '../../../rules/bundle/index.js';
import { runRule } from '../../support/rule-harness.js';
import { closureOf, forestLevel, type Synthetic } from '../../bundle/support/synthetic-assets.js';

export interface SampleBundle {
  tar: Uint8Array;
  catalog: Uint8Array;
  assets: Synthetic[];
  /** Every output file by name (several for grouped bundles). */
  files: Map<string, Uint8Array>;
}

export async function sampleBundle(assets: Synthetic[] = forestLevel(), attrs: Record<string, unknown> = {}): Promise<SampleBundle> {
  const { closure, blobs } = closureOf(...assets);
  const result = await runRule(bundleRule(), { label: '//levels/forest:bundle', attrs, deps: closure, closure, blobs });
  const files = new Map(result.outputs.map((o) => [o.name, result.bytes(o.name)]));
  return { tar: result.bytes('bundle.tar'), catalog: result.bytes('bundle.catalog.json'), assets, files };
}

/** The original output bytes of a synthetic asset. */
export function originalBytes(asset: Synthetic): Uint8Array {
  return [...asset.blobs.values()][0]!;
}
