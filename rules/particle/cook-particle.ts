/** The `particle` cook, start to end; in validate mode it returns after its checks, before writing outputs. */
import { canonicalJson } from '../../src/hash/canonical-json.js';
import type { RuleContext } from '../../src/rule/context.js';
import { RuleError } from '../../src/rule/rule-error.js';
import { parseStructured } from '../../src/rule/structured-source.js';
import { checkBudget } from './particle-budget.js';
import { type NormalEmitter, normalizeEmitter } from './normalize-emitter.js';
import { validateParticleFile } from './validate-schema.js';
import type { ParticleOptions, ParticlePlatformSettings } from './options.js';

interface CookedSystem {
  duration: number;
  loop: boolean;
  emitters: NormalEmitter[];
  peak_particles: number;
}

async function load(ctx: RuleContext<ParticleOptions, ParticlePlatformSettings>): Promise<CookedSystem> {
  const src = ctx.srcs[0];
  if (!src || ctx.srcs.length > 1) throw new RuleError(`a particle target takes exactly one source file, got ${ctx.srcs.length}`);
  const source = parseStructured(await ctx.readSource(src), src.path);
  const file = await validateParticleFile(source);
  const settings = ctx.platform.settings;

  const emitters = file.emitters.map((emitter, i) => normalizeEmitter(ctx, emitter, i, source));
  const seen = new Set<string>();
  emitters.forEach((emitter, i) => {
    if (seen.has(emitter.name)) throw new RuleError(`two emitters are named "${emitter.name}"`, source.locate(['emitters', i, 'name']));
    seen.add(emitter.name);
    if (emitter.peak_particles > emitter.max_particles) {
      ctx.warn(`emitter ${emitter.name} can reach ${emitter.peak_particles} particles but its pool holds ${emitter.max_particles}; the rest are dropped`,
        source.locate(['emitters', i, 'max_particles']));
    }
  });
  if (emitters.length > settings.max_emitters) {
    throw new RuleError(`${emitters.length} emitters; platform ${ctx.platform.name} allows ${settings.max_emitters}`, source.locate(['emitters']));
  }
  const pools = emitters.map((e) => Math.min(e.max_particles, e.peak_particles));
  const verdict = checkBudget(pools, settings.max_particles, ctx.attrs.warn_ratio, ctx.platform.name);
  if (verdict.severity === 'error') throw new RuleError(verdict.message, source.locate(['emitters']));
  if (verdict.severity === 'warning') ctx.warn(verdict.message, source.locate(['emitters']));

  ctx.stat('emitters', emitters.length);
  ctx.stat('peak_particles', verdict.total);
  ctx.stat('budget_used', Math.round((verdict.total / settings.max_particles) * 1000) / 1000);
  return { duration: file.duration ?? 1, loop: file.loop ?? true, emitters, peak_particles: verdict.total };
}

export async function cookParticle(ctx: RuleContext<ParticleOptions, ParticlePlatformSettings>): Promise<void> {
  const system = await load(ctx);
  if (ctx.mode === 'validate') return;
  const references = system.emitters.flatMap((e) => [e.texture, e.material]).filter((r) => r !== null).map((r) => r.asset_id);
  await ctx.output(`${ctx.name}.json`, new TextEncoder().encode(`${canonicalJson(system)}\n`), {
    format: 'json',
    emitters: system.emitters.length,
    peak_particles: system.peak_particles,
    references: [...new Set(references)].sort(),
  });
}
