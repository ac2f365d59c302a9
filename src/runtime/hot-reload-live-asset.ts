/**
 * A handle a game keeps instead of a LoadedAsset when it wants hot reload to reach it: `current`
 * always holds the newest version the client applied (LoadedAsset values themselves are
 * immutable), and `reload` fires on each swap.
 */
import { Emitter } from './emitter.js';
import type { LoadedAsset } from './loaded-asset.js';

export interface LiveAssetEvents {
  reload: [asset: LoadedAsset, previous: LoadedAsset | undefined];
  removed: [reason: string];
}

export class LiveAsset extends Emitter<LiveAssetEvents> {
  current: LoadedAsset | undefined;
  /** Digest key of the version in `current`. */
  digest: string | undefined;
  removed = false;

  constructor(readonly label: string) {
    super();
  }

  /** Called by the hot-reload client. */
  swap(asset: LoadedAsset, digest: string): void {
    const previous = this.current;
    this.current = asset;
    this.digest = digest;
    this.removed = false;
    this.emit('reload', asset, previous);
  }

  markRemoved(reason: string): void {
    this.removed = true;
    this.emit('removed', reason);
  }
}
