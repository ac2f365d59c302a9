import { afterEach, describe, expect, it, vi } from 'vitest';
import { ProgressReporter } from '../../src/cli/progress-reporter.js';
import type { CommandIO } from '../../src/cli/command.js';
import type { TargetReport } from '../../src/engine/build-result.js';

function capture(): { io: CommandIO; out: string[]; err: string[]; line: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  const io = { cwd: '/', env: {}, isTTY: true, stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t) } as unknown as CommandIO;
  // The status line as a terminal shows it: the text after the last carriage return + erase.
  const line = () => out.join('').split('\r\x1b[K').at(-1) ?? '';
  return { io, out, err, line };
}

const executed = (label: string, durationMs: number): TargetReport => ({ label, rule: 'audio', status: 'executed', durationMs, outputs: [], diagnostics: [], stats: {} });

afterEach(() => vi.useRealTimers());

describe('status line', () => {
  it('counts every cook in flight under -j, even when events arrive within one throttle window', () => {
    let now = 0;
    const { io, line } = capture();
    const reporter = new ProgressReporter(io, { explain: false, verbose: false, live: true, columns: 200, clock: () => now });
    reporter.started(3);
    reporter.actionStarted('//a:one', 'audio');
    now = 10;
    reporter.actionStarted('//a:two', 'audio');
    expect(line()).toContain('1 running');
    vi.useFakeTimers();
    // (the ticker was created before fake timers; a fresh reporter under fake timers shows the tick)
    const ticking = new ProgressReporter(io, { explain: false, verbose: false, live: true, columns: 200, clock: () => now });
    ticking.started(3);
    ticking.actionStarted('//a:one', 'audio');
    now = 20;
    ticking.actionStarted('//a:two', 'audio');
    vi.advanceTimersByTime(300);
    expect(line()).toMatch(/^\[0\/3\] .* 2 running: \/\/a:one 0s, \/\/a:two 0s/);
    ticking.finished({ platform: 'desktop', executed: 0, cached: 0, failed: 0, skipped: 0, durationMs: 20, filesHashed: 0, warnings: 0, targets: [], materialized: [] });
    reporter.finished({ platform: 'desktop', executed: 0, cached: 0, failed: 0, skipped: 0, durationMs: 20, filesHashed: 0, warnings: 0, targets: [], materialized: [] });
  });

  it('ticks during a long cook: elapsed time, the running time and the ETA move without events', () => {
    vi.useFakeTimers();
    let now = 0;
    const { io, line } = capture();
    const reporter = new ProgressReporter(io, { explain: false, verbose: false, live: true, columns: 200, clock: () => now });
    reporter.started(4);
    reporter.actionStarted('//a:one', 'audio');
    reporter.actionStarted('//a:two', 'audio');
    now = 2000;
    reporter.actionFinished(executed('//a:one', 2000));
    reporter.actionFinished(executed('//a:two', 2000));
    reporter.actionStarted('//a:three', 'audio');
    reporter.actionStarted('//a:four', 'audio');
    // Two cooks of ~2 s ran side by side: two more in flight, just started, leave ~2 s.
    now = 2060;
    vi.advanceTimersByTime(250);
    expect(line()).toMatch(/^\[2\/4\] 2\.1s ETA ~2s 2 running: \/\/a:three 0s, \/\/a:four 0s/);
    now = 3500;
    vi.advanceTimersByTime(250);
    expect(line()).toMatch(/^\[2\/4\] 3\.5s ETA ~1s 2 running: \/\/a:three 1s, \/\/a:four 1s/);
    reporter.finished({ platform: 'desktop', executed: 2, cached: 0, failed: 0, skipped: 0, durationMs: 3500, filesHashed: 0, warnings: 0, targets: [], materialized: [] });
    const drawn = io.stdout.length;
    vi.advanceTimersByTime(1000);
    expect(io.stdout.length).toBe(drawn);
  });

  it('prints failures as formatted diagnostics, one ERROR line each', () => {
    const { io, err } = capture();
    const reporter = new ProgressReporter(io, { explain: false, verbose: false, live: false });
    reporter.actionFinished({
      label: '//p:t',
      rule: 'data',
      status: 'failed',
      durationMs: 1,
      outputs: [],
      stats: {},
      diagnostics: [
        { code: 'rule-error', severity: 'error', message: 'bad value', label: '//p:t', location: { file: 'p/t.yaml', line: 2, column: 5 } },
        { code: 'rule-error', severity: 'error', message: 'another', label: '//p:t', location: { file: 'p/t.yaml' }, hints: ['fix it'] },
      ],
    });
    expect(err.join('')).toBe('ERROR: p/t.yaml:2:5: //p:t: bad value\nERROR: p/t.yaml: //p:t: another\n  hint: fix it\n');
  });
});
