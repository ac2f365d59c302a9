/**
 * Which reload handler an asset type uses — the key a game registers with
 * `HotReloadClient.onReload(handler, …)` — and what that handler is expected to do with the new
 * version. Every handler receives the whole new asset (`event.asset`, typed like `load()` gives
 * it), the one it replaces (`event.previous`) and, for a live change, the parts that changed
 * (`event.change.parts`), so it can redo only what changed.
 *
 * | handler | what a game's handler does |
 * | --- | --- |
 * | texture | re-uploads the mips listed in `change.parts` (all of them when the size or format changed) |
 * | model | swaps the mesh of every LOD; keeps instances and their transforms |
 * | animation | rebinds the clips; playing animations restart at their current time |
 * | audio | swaps the clip; voices playing it finish the old chunks (only changed chunks are refetched) |
 * | shader | recreates the pipelines that use the module, per variant |
 * | material | rebinds uniforms and textures without reloading meshes |
 * | particle | swaps emitter parameters in place; live particles keep running |
 * | font | swaps the atlas and metrics; laid-out text is re-shaped |
 * | ui | swaps the atlas texture and its rect table together |
 * | data | replaces the parsed value; systems reading it re-read |
 * | script | re-evaluates the module and hands its exports to the game's script host |
 * | files | replaces the bytes |
 *
 * Bundles are containers, not assets a game holds: no handler (their assets are reloaded one by one).
 */
import type { AssetType } from './asset-type.js';

export type ReloadHandlerName = Exclude<AssetType, 'bundle'>;

export const RELOAD_HANDLERS: { readonly [T in AssetType]: ReloadHandlerName | undefined } = {
  texture: 'texture',
  model: 'model',
  animation: 'animation',
  audio: 'audio',
  shader: 'shader',
  material: 'material',
  particle: 'particle',
  font: 'font',
  ui: 'ui',
  data: 'data',
  script: 'script',
  files: 'files',
  bundle: undefined,
};

/** The handler a new version of an asset of `type` goes to; undefined: none (bundles). */
export function reloadHandlerOf(type: AssetType): ReloadHandlerName | undefined {
  return RELOAD_HANDLERS[type];
}
