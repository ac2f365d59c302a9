/**
 * `particle`: a particle system (emitters with rate, bursts, lifetime, velocity, size/color
 * curves, texture or material by label). Checked against a JSON Schema with ajv, normalized to
 * canonical JSON, and held to the platform's particle and emitter budgets.
 */
import { defineRule } from '../../src/rule/rule.js';
import { cookParticle } from './cook-particle.js';
import { PARTICLE_OPTIONS, PARTICLE_SETTINGS } from './options.js';

export const NAME = 'particle';
export { PARTICLE_OPTIONS, PARTICLE_SETTINGS, type ParticleOptions, type ParticlePlatformSettings } from './options.js';

export function particleRule() {
  return defineRule({
    name: NAME,
    version: 1,
    type: 'particle',
    description: 'particle system YAML/JSON → schema-checked, normalized canonical JSON within platform particle budgets',
    attributes: PARTICLE_OPTIONS,
    platformSettings: PARTICLE_SETTINGS,
    cook: (ctx) => cookParticle(ctx),
  });
}
