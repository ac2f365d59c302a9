/** What each LOD output of a model carries (`oak.glb` = LOD 0, `oak.lod1.glb`, …). */
import { meta, readSpec, type MetaOf } from './meta-spec.js';

const LOD_SUMMARY = { index: meta.int, output: meta.string, triangles: meta.int, vertices: meta.int, bytes: meta.int };

export const MODEL_META = {
  /** This output's LOD (0 = finest) and how many the model has. */
  lod: meta.int,
  lodCount: meta.int,
  ratio: meta.number,
  error: meta.number,
  triangles: meta.int,
  vertices: meta.int,
  bounds: meta.nullable(meta.object({ min: meta.list(meta.number), max: meta.list(meta.number) })),
  meshopt: meta.boolean,
  /** Textures the model uses, by asset id (the runtime resolves `KILN_texture_ref` through these). */
  textureRefs: meta.list(meta.object({ assetId: meta.string, label: meta.string })),
  /** On LOD 0 only: every LOD of the model. */
  lods: meta.optional(meta.list(meta.object(LOD_SUMMARY))),
};
export type ModelMeta = MetaOf<typeof MODEL_META>;

export function readModelMeta(value: unknown, where: string): ModelMeta {
  return readSpec(MODEL_META, value, where);
}
