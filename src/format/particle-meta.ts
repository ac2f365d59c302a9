/** What a particle system output carries. */
import { meta, readSpec, type MetaOf } from './meta-spec.js';

export const PARTICLE_META = {
  format: meta.literal('json'),
  emitters: meta.int,
  peak_particles: meta.int,
  /** Asset ids of the textures and materials its emitters use, sorted. */
  references: meta.list(meta.string),
};
export type ParticleMeta = MetaOf<typeof PARTICLE_META>;

export function readParticleMeta(value: unknown, where: string): ParticleMeta {
  return readSpec(PARTICLE_META, value, where);
}
