import { describe, expect, it } from 'vitest';
import { summariseCpuProfile, type CpuProfile } from '../../bench/cpu-profile-summary.js';

const frame = (functionName: string, url = '') => ({ functionName, url, lineNumber: 0 });

describe('summariseCpuProfile', () => {
  // root → build (builder.js) → has (disk-blob-store.js) → stat (native); root → (garbage collector)
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame('(root)'), children: [2, 5] },
      { id: 2, callFrame: frame('build', 'file:///r/dist/src/engine/builder.js'), children: [3] },
      { id: 3, callFrame: frame('has', 'file:///r/dist/src/store/disk-blob-store.js'), children: [4] },
      { id: 4, callFrame: frame('stat') },
      { id: 5, callFrame: frame('(garbage collector)') },
    ],
    samples: [4, 4, 2, 5, 4],
    timeDeltas: [1000, 1000, 2000, 500, 1000],
    startTime: 0,
    endTime: 5500,
  };

  it('charges each sample to the innermost matching phase and ranks self time', () => {
    const summary = summariseCpuProfile(profile, [
      { phase: 'engine', url: '/src/engine/' },
      { phase: 'cas', url: '/src/store/disk-blob-store' },
      { phase: 'gc', functions: ['(garbage collector)'] },
    ]);
    expect(summary.totalMs).toBe(5.5);
    expect(summary.phases).toEqual([
      { phase: 'cas', ms: 3 },
      { phase: 'engine', ms: 2 },
      { phase: 'gc', ms: 0.5 },
    ]);
    expect(summary.top[0]).toEqual({ name: 'stat (native)', selfMs: 3 });
    expect(summary.top[1]!.name).toBe('build dist/src/engine/builder.js:1');
  });
});
