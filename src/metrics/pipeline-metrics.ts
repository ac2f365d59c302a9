/**
 * The seed's AssetPipelineMetrics, computed from a build summary: how much the caches saved, what
 * each asset type costs to cook, how many bytes were produced. Watch mode adds how often it
 * hot-reloads (see hot-reload-rate.ts). Figures only: nothing here changes a build.
 */
import type { TargetReport } from '../engine/build-result.js';

export interface PipelineMetrics {
  /** Actions served from a cache ÷ actions that had to be done (0 when nothing was asked for). */
  cacheHitRate: number;
  /** Cache hits served locally (build state or local disk cache). */
  localHits: number;
  /** Cache hits served by the team's remote cache. */
  remoteHits: number;
  /** Mean cook time in ms of the actions that ran, per asset type. */
  averageCookMsByType: Record<string, number>;
  /** Actions that ran, per asset type. */
  cookedByType: Record<string, number>;
  /** Output bytes of the actions that ran. */
  bytesCooked: number;
  /** Hot reloads pushed per minute over a watch session (absent for a single build). */
  hotReloadsPerMinute?: number;
}

export function pipelineMetrics(targets: readonly TargetReport[], typeOfRule: (rule: string) => string | undefined, remoteActionHits = 0): PipelineMetrics {
  let executed = 0;
  let cached = 0;
  let bytesCooked = 0;
  const time: Record<string, number> = {};
  const count: Record<string, number> = {};
  for (const target of targets) {
    if (target.status === 'cached') cached++;
    if (target.status !== 'executed') continue;
    executed++;
    const type = typeOfRule(target.rule) ?? (target.rule || 'unknown');
    time[type] = (time[type] ?? 0) + target.durationMs;
    count[type] = (count[type] ?? 0) + 1;
    bytesCooked += target.outputs.reduce((n, o) => n + o.size, 0);
  }
  const types = Object.keys(count).sort();
  const remoteHits = Math.min(remoteActionHits, cached);
  return {
    cacheHitRate: executed + cached === 0 ? 0 : Math.round((cached / (executed + cached)) * 10_000) / 10_000,
    localHits: cached - remoteHits,
    remoteHits,
    averageCookMsByType: Object.fromEntries(types.map((t) => [t, Math.round((time[t]! / count[t]!) * 10) / 10])),
    cookedByType: Object.fromEntries(types.map((t) => [t, count[t]!])),
    bytesCooked,
  };
}
