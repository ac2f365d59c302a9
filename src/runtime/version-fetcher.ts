/**
 * How the hot-reload client gets a changed asset's bytes from the watch server: every output by
 * digest from `/cas/<digest>`, each verified before use (nothing from the server is trusted). It
 * holds the last verified bytes of each label (bounded, see HeldOutputs) so the next version
 * fetches only what differs: nothing for an output whose digest is the one held, only the
 * changed streaming parts (by HTTP range) of an output whose layout is the same.
 */
import { checkDigest } from './digest-check.js';
import { decodeVersion, digestParts, planPatch } from './hot-reload-decode.js';
import { HeldOutputs, type HeldOutput } from './held-outputs.js';
import type { HotReloadMetrics } from './hot-reload-metrics.js';
import type { AssetVersion } from '../format/hot-reload-protocol.js';
import type { LoadedAsset } from './loaded-asset.js';
import { RuntimeError } from './runtime-error.js';

export class VersionFetcher {
  private readonly held: HeldOutputs;

  constructor(
    private readonly url: string,
    private readonly doFetch: typeof fetch,
    private readonly recorder: HotReloadMetrics,
    maxHeldBytes: number,
  ) {
    this.held = new HeldOutputs(maxHeldBytes);
  }

  get heldBytes(): number {
    return this.held.heldBytes;
  }

  /** Drops what is held for `label` (the asset was removed). */
  forget(label: string): void {
    this.held.delete(label);
  }

  /** Verified bytes of a blob (whole, or one byte range checked against a part hash). */
  async blob(digest: string, range?: { offset: number; size: number; hash: string }): Promise<Uint8Array> {
    const headers: Record<string, string> = range ? { Range: `bytes=${range.offset}-${range.offset + range.size - 1}` } : {};
    const response = await this.doFetch(`${this.url}/cas/${digest}`, { headers });
    if (response.status !== (range ? 206 : 200)) throw new RuntimeError('io', `GET /cas/${digest}: HTTP ${response.status}`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    this.recorder.bytesFetched += bytes.byteLength;
    const dash = digest.lastIndexOf('-');
    if (range) await checkDigest(bytes, range.hash, `${digest} bytes ${range.offset}+${range.size}`, range.size);
    else await checkDigest(bytes, digest.slice(0, dash), `blob ${digest}`, Number(digest.slice(dash + 1)));
    return bytes;
  }

  /**
   * Every output of `version`, verified and decoded: kept as is when its digest is the one held,
   * rebuilt from the held bytes plus only the changed parts fetched by range (see planPatch; the
   * result is checked against the output's digest, and fetched whole if it does not match),
   * whole otherwise.
   */
  async fetch(version: AssetVersion): Promise<LoadedAsset> {
    const held = this.held.get(version.label);
    const next = new Map<string, HeldOutput>();
    let partial = false;
    await Promise.all(
      version.outputs.map(async (output) => {
        const before = held?.get(output.name);
        let bytes: Uint8Array | undefined;
        if (before?.output.digest === output.digest) bytes = before.bytes;
        else if (before) {
          const plan = planPatch(before, output);
          if (plan) {
            const fetched = new Map(await Promise.all(plan.fetch.map(async (index) => [index, await this.blob(output.digest, output.parts[index]!)] as const)));
            const patched = plan.assemble(fetched);
            const { hash, size } = digestParts(output.digest);
            if (await matchesDigest(patched, hash, size)) {
              bytes = patched;
              partial = true;
            }
          }
        }
        next.set(output.name, { output, bytes: bytes ?? (await this.blob(output.digest)) });
      }),
    );
    if (partial) this.recorder.partialFetches++;
    const asset = decodeVersion(version, new Map([...next].map(([name, held]) => [name, held.bytes])));
    this.held.set(version.label, next);
    return asset;
  }
}

async function matchesDigest(bytes: Uint8Array, hash: string, size: number): Promise<boolean> {
  try {
    await checkDigest(bytes, hash, 'patched output', size);
    return true;
  } catch (error) {
    // Bytes outside every part changed too: the caller fetches the whole output instead.
    if (error instanceof RuntimeError && error.code === 'corrupt') return false;
    throw error;
  }
}
