/**
 * The game's reload handlers, registered by the name `kiln/format` gives each asset type
 * (`RELOAD_HANDLERS`: a texture of any rule goes to `texture`), plus `'*'` for every reload.
 */
import type { AssetType } from '../format/asset-type.js';
import type { AssetVersion, ChangedMessage } from '../format/hot-reload-protocol.js';
import { reloadHandlerOf, type ReloadHandlerName } from '../format/reload-handler.js';
import type { LoadedAsset } from './loaded-asset.js';

export interface ReloadEvent {
  label: string;
  assetId: string;
  assetType: AssetType;
  asset: LoadedAsset;
  /** The version this one replaces, when the client held it. */
  previous: LoadedAsset | undefined;
  version: AssetVersion;
  /** Digest key of the new main output. */
  digest: string;
  /** The change message (absent when catching up after a reconnect). */
  change?: ChangedMessage;
}

export type ReloadHandler = (event: ReloadEvent) => void | Promise<void>;

export class ReloadHandlers {
  private readonly byName = new Map<ReloadHandlerName | '*', Set<ReloadHandler>>();

  /** Registers `handler` under `name`; returns an unsubscribe function. */
  add(name: ReloadHandlerName | '*', handler: ReloadHandler): () => void {
    let set = this.byName.get(name);
    if (!set) this.byName.set(name, (set = new Set()));
    set.add(handler);
    return () => set.delete(handler);
  }

  /** The handlers a new version of an asset of `type` goes to: its type's handler's, then `'*'`'s. */
  for(type: AssetType): ReloadHandler[] {
    const name = reloadHandlerOf(type);
    return [...(name === undefined ? [] : (this.byName.get(name) ?? [])), ...(this.byName.get('*') ?? [])];
  }
}
