import { describe, expect, it } from 'vitest';
import type { TargetReport } from '../../src/engine/build-result.js';
import { HotReloadRate } from '../../src/metrics/hot-reload-rate.js';
import { pipelineMetrics } from '../../src/metrics/pipeline-metrics.js';

const report = (label: string, rule: string, status: TargetReport['status'], durationMs: number, size = 0): TargetReport => ({
  label, rule, status, durationMs, outputs: size ? [{ name: 'out', digest: 'd', size }] : [], diagnostics: [], stats: {},
});

const types: Record<string, string> = { texture: 'texture', model: 'model' };

describe('pipeline metrics', () => {
  it('gives the cache hit rate, split local/remote, and mean cook time and bytes of what ran, per type', () => {
    const metrics = pipelineMetrics([
      report('//a:t1', 'texture', 'executed', 100, 1000),
      report('//a:t2', 'texture', 'executed', 300, 3000),
      report('//a:m', 'model', 'executed', 50, 500),
      report('//a:c1', 'texture', 'cached', 1, 4000),
      report('//a:c2', 'texture', 'cached', 1, 4000),
      report('//a:f', 'model', 'failed', 9),
    ], (rule) => types[rule], 1);
    expect(metrics.cacheHitRate).toBe(0.4);
    expect(metrics.localHits).toBe(1);
    expect(metrics.remoteHits).toBe(1);
    expect(metrics.averageCookMsByType).toEqual({ model: 50, texture: 200 });
    expect(metrics.cookedByType).toEqual({ model: 1, texture: 2 });
    expect(metrics.bytesCooked).toBe(4500);
  });

  it('is zero, not NaN, for a build with nothing to do', () => {
    expect(pipelineMetrics([], () => undefined).cacheHitRate).toBe(0);
  });
});

describe('hot reloads per minute', () => {
  it('counts reloads over the session, at least one minute long', () => {
    let now = 0;
    const rate = new HotReloadRate(() => now);
    rate.record();
    rate.record();
    now = 30_000;
    expect(rate.perMinute()).toBe(2);
    now = 120_000;
    expect(rate.perMinute()).toBe(1);
  });
});
