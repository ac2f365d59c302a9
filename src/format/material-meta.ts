/** What a material output carries: the shader (and variant) it draws with and the textures it uses. */
import { meta, readSpec, type MetaOf } from './meta-spec.js';

export const MATERIAL_META = {
  format: meta.literal('json'),
  /** Asset id of the shader. */
  shader: meta.string,
  variant: meta.nullable(meta.string),
  /** Asset ids of its textures. */
  textures: meta.list(meta.string),
};
export type MaterialMeta = MetaOf<typeof MATERIAL_META>;

export function readMaterialMeta(value: unknown, where: string): MaterialMeta {
  return readSpec(MATERIAL_META, value, where);
}
