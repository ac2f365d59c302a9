import { describe, expect, it } from 'vitest';
import { kiln } from '../support/run-kiln.js';
import { tempWorkspace } from '../support/temp-workspace.js';
import { MAX_JOBS, runnerSettings } from '../../src/cli/runner-flags.js';

describe('--jobs, --workers, --action-timeout', () => {
  it('refuses values that are not a bounded whole number', () => {
    for (const jobs of ['abc', '0', '-1', '1e9', '2.5', '', '257', '99999999']) {
      expect(runnerSettings({ jobs }), jobs).toMatchObject({ error: expect.stringContaining('--jobs must be a positive integer from 1 to 256') });
    }
    expect(runnerSettings({ workers: 'x' })).toMatchObject({ error: expect.stringContaining('--workers') });
    expect(runnerSettings({ 'action-timeout': '-3' })).toMatchObject({ error: expect.stringContaining('--action-timeout') });
    expect(MAX_JOBS).toBe(256);
  });

  it('takes flags over the workspace settings, and never more workers than jobs', () => {
    expect(runnerSettings({ jobs: '3' }, { jobs: 8, workers: 2, action_timeout_seconds: 30 })).toEqual({ value: { jobs: 3, workers: 2, actionTimeoutMs: 30_000 } });
    expect(runnerSettings({ workers: '0', 'action-timeout': '1.5' }, { jobs: 4 })).toEqual({ value: { jobs: 4, workers: 0, actionTimeoutMs: 1500 } });
    expect(runnerSettings({ jobs: '2', workers: '9' })).toEqual({ value: { jobs: 2, workers: 2, actionTimeoutMs: 0 } });
  });
});

describe('kiln build with a bad --jobs', () => {
  it('is a usage error (exit 2), also when the build is up to date', () => {
    const ws = tempWorkspace({ 'pkgs/p/assets.yaml': 'targets:\n  a: { rule: files, srcs: [a.txt] }\n', 'pkgs/p/a.txt': 'A' });
    try {
      expect(kiln(ws.root, ['build', '//p:a']).code).toBe(0);
      expect(kiln(ws.root, ['build', '//p:a']).code).toBe(0);
      for (const jobs of ['abc', '1e9', '0']) {
        const run = kiln(ws.root, ['build', '//p:a', '--jobs', jobs]);
        expect(run.code, run.stderr).toBe(2);
        expect(run.stderr).toContain(`ERROR: --jobs must be a positive integer from 1 to 256, got "${jobs}"`);
      }
      const run = kiln(ws.root, ['build', '//p:a', '--action-timeout', 'soon']);
      expect(run.code).toBe(2);
      expect(kiln(ws.root, ['build', '//p:a', '--jobs', '256', '--workers', '1', '--action-timeout', '60']).code).toBe(0);
    } finally {
      ws.cleanup();
    }
  });
});
