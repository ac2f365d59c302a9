/**
 * The `particle` rule's options and platform settings, each declared once (schema, default,
 * description; types inferred). A leaf: index.ts and the cook helpers import it.
 */
import { type Infer, s } from '../../src/rule/schema.js';

export const PARTICLE_OPTIONS = s.object({
  // Of the peak particle count against the platform budget.
  warn_ratio: s.number({ min: 0, max: 1 }).default(0.75).describe('warn above this fraction of the platform particle budget'),
});
export type ParticleOptions = Infer<typeof PARTICLE_OPTIONS>;

export const PARTICLE_SETTINGS = s.object({
  // Sum of emitter pools alive at once.
  max_particles: s.integer({ min: 1 }).default(10_000).describe('most live particles per system'),
  max_emitters: s.integer({ min: 1 }).default(16).describe('most emitters per system'),
});
export type ParticlePlatformSettings = Infer<typeof PARTICLE_SETTINGS>;
