/**
 * Which reload handler an asset type uses — the name a game registers with
 * `HotReloadClient.onReload(name, …)` — and what that handler is for. It is the asset type's, not
 * the rule's: every rule of a type delivers the same typed asset, so one handler serves them all.
 * A handler receives the whole new asset (`event.asset`, typed as `load()` returns it), the one it
 * replaces (`event.previous`) and, for a live change, the parts whose bytes changed
 * (`event.change.parts`), so it can redo only what changed.
 *
 * | handler | `asset` holds | what a game's handler does |
 * | --- | --- | --- |
 * | texture | every mip | re-uploads the mips `change.parts` lists (all when size or format changed) |
 * | model | every LOD GLB | rebuilds the meshes of the LODs in use; instances keep their transforms |
 * | animation | the clips GLB | rebinds the clips; playing animations continue at their current time |
 * | audio | every chunk | restarts or crossfades voices playing the clip (only changed chunks were fetched) |
 * | shader | every variant | recompiles the pipelines built from the changed variants |
 * | material | the material JSON | rebinds uniforms and textures without reloading meshes |
 * | particle | the system JSON | swaps emitter parameters in place; live particles keep running |
 * | font | metrics + atlas + subset | re-uploads the atlas and re-lays out text |
 * | ui | atlas PNG + rects | re-uploads the atlas and re-reads sprite rectangles together |
 * | data | the parsed value | re-reads tuning values |
 * | script | the bundle (+ source map) | re-evaluates the module and hands its exports to the script host |
 * | files | the bytes | replaces them |
 *
 * Bundles are containers, not assets a game holds: no handler (their assets reload one by one).
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
