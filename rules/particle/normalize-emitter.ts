/**
 * One normal form per emitter so the runtime has a single code path and equal systems cook to
 * equal bytes: ranges become {min, max}, curves become sorted key lists, defaults are explicit,
 * labels become asset ids.
 */
import type { RuleContext } from '../../src/rule/context.js';
import { resolveReference } from '../../src/rule/reference.js';
import { RuleError } from '../../src/rule/rule-error.js';
import type { SourcePath, StructuredSource } from '../../src/rule/structured-source.js';
import type { Curve, EmitterFile, Range, Rgba, Vec3 } from './particle-file.js';
import { peakParticles } from './particle-budget.js';

export interface NormalRange {
  min: number;
  max: number;
}
export interface Reference {
  label: string;
  asset_id: string;
}

export interface NormalEmitter {
  name: string;
  max_particles: number;
  rate: number;
  bursts: { time: number; count: number }[];
  lifetime: NormalRange;
  speed: NormalRange;
  velocity: { min: Vec3; max: Vec3 };
  gravity: Vec3;
  shape: { type: string; radius: number; angle: number; size: Vec3 };
  size: { t: number; value: number }[];
  color: { t: number; value: Rgba }[];
  texture: Reference | null;
  material: Reference | null;
  blend: string;
  /** Most particles alive at once by rate × lifetime plus overlapping bursts, before the pool cap. */
  peak_particles: number;
}

function range(value: Range | undefined, fallback: number, source: StructuredSource, path: SourcePath): NormalRange {
  if (value === undefined) return { min: fallback, max: fallback };
  if (typeof value === 'number') return { min: value, max: value };
  if (value[0] > value[1]) throw new RuleError(`range [${value[0]}, ${value[1]}] has min > max`, source.locate(path));
  return { min: value[0], max: value[1] };
}

function curve<T>(value: Curve<T> | undefined, fallback: T, source: StructuredSource, path: SourcePath): { t: number; value: T }[] {
  if (value === undefined) return [{ t: 0, value: fallback }];
  if (!Array.isArray(value) || (value.length > 0 && typeof value[0] !== 'object') || Array.isArray(value[0])) {
    return [{ t: 0, value: value as T }];
  }
  const keys = [...(value as { t: number; value: T }[])].sort((a, b) => a.t - b.t);
  keys.forEach((key, i) => {
    if (i > 0 && key.t === keys[i - 1]!.t) throw new RuleError(`two curve keys at t = ${key.t}`, source.locate(path));
  });
  return keys;
}

function reference(ctx: RuleContext, text: string | undefined, source: StructuredSource, path: SourcePath, types: Parameters<typeof resolveReference>[3]): Reference | null {
  if (text === undefined) return null;
  const dep = resolveReference(ctx, text, source.locate(path), types);
  return { label: dep.label, asset_id: dep.assetId };
}

export function normalizeEmitter(ctx: RuleContext, emitter: EmitterFile, index: number, source: StructuredSource): NormalEmitter {
  const at = (...rest: (string | number)[]): SourcePath => ['emitters', index, ...rest];
  const lifetime = range(emitter.lifetime, 1, source, at('lifetime'));
  const velocity = emitter.velocity === undefined
    ? { min: [0, 0, 0] as Vec3, max: [0, 0, 0] as Vec3 }
    : Array.isArray(emitter.velocity) ? { min: emitter.velocity, max: emitter.velocity } : emitter.velocity;
  if (velocity.min.some((v, i) => v > velocity.max[i]!)) throw new RuleError('velocity.min exceeds velocity.max', source.locate(at('velocity')));
  const rate = emitter.rate ?? 0;
  const bursts = [...(emitter.bursts ?? [])].sort((a, b) => a.time - b.time || a.count - b.count);
  if (rate === 0 && bursts.length === 0) ctx.warn(`emitter ${index} emits nothing (no rate, no bursts)`, source.locate(at()));
  const peak = peakParticles(rate, lifetime.max, bursts);
  const shape = emitter.shape ?? { type: 'point' };
  return {
    name: emitter.name ?? `emitter_${index}`,
    max_particles: emitter.max_particles ?? peak,
    rate,
    bursts,
    lifetime,
    speed: range(emitter.speed, 0, source, at('speed')),
    velocity,
    gravity: emitter.gravity ?? [0, 0, 0],
    shape: { type: shape.type, radius: shape.radius ?? 0, angle: shape.angle ?? 0, size: shape.size ?? [0, 0, 0] },
    size: curve(emitter.size, 1, source, at('size')),
    color: curve<Rgba>(emitter.color, [1, 1, 1, 1], source, at('color')),
    texture: reference(ctx, emitter.texture, source, at('texture'), ['texture', 'ui', 'font']),
    material: reference(ctx, emitter.material, source, at('material'), ['material']),
    blend: emitter.blend ?? 'alpha',
    peak_particles: peak,
  };
}
