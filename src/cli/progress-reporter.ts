import type { BuildReporter, BuildSummary, TargetReport } from '../engine/build-result.js';
import { formatDiagnostic } from '../diagnostic/format-diagnostic.js';
import type { CommandIO } from './command.js';

/** How often the status line is redrawn while cooks run, so elapsed time and ETA keep moving. */
const TICK_MS = 250;

/**
 * On a TTY: one status line redrawn in place (done/total, elapsed, ETA, what is running) on every
 * event and on a timer while anything runs. Otherwise (CI, pipes): one plain line per action
 * that ran or failed, so logs stay greppable.
 */
export class ProgressReporter implements BuildReporter {
  private total = 0;
  private done = 0;
  /** Label → when its action started; cached lookups come and go here too. */
  private readonly running = new Map<string, number>();
  private readonly startedAt: number;
  private executedMs = 0;
  private executed = 0;
  private ticker: ReturnType<typeof setInterval> | undefined;
  private lastDraw = Number.NEGATIVE_INFINITY;
  /** An event arrived while draws were throttled: the ticker draws it. */
  private stale = false;
  private readonly now: () => number;

  constructor(
    private readonly io: CommandIO,
    private readonly options: { explain: boolean; verbose: boolean; live: boolean; columns?: number; clock?: () => number },
  ) {
    // process.uptime, not performance.now: the first touch of `performance` loads perf_hooks.
    this.now = options.clock ?? (() => process.uptime() * 1e3);
    this.startedAt = this.now();
  }

  started(total: number): void {
    this.total = total;
    if (this.options.live && !this.ticker) {
      this.ticker = setInterval(() => {
        if (this.running.size > 0 || this.stale) this.draw(true);
      }, TICK_MS);
      this.ticker.unref?.();
    }
  }

  actionStarted(label: string): void {
    this.running.set(label, this.now());
    this.draw();
  }

  actionFinished(report: TargetReport): void {
    this.running.delete(report.label);
    this.done++;
    if (report.status === 'executed') {
      this.executed++;
      this.executedMs += report.durationMs;
    }
    const lines: string[] = [];
    if (report.status === 'executed') {
      lines.push(`${report.rule.padEnd(8)} ${report.label} (${Math.round(report.durationMs)} ms)`);
      if (this.options.explain) for (const reason of report.reasons ?? []) lines.push(`         because ${reason}`);
    } else if (report.status === 'cached' && this.options.verbose) {
      lines.push(`cached   ${report.label}`);
    }
    const errors = report.diagnostics.filter((d) => d.severity === 'error');
    for (const d of report.diagnostics) {
      if (d.severity !== 'error') lines.push(formatDiagnostic({ ...d, label: d.label ?? report.label }));
    }
    if (report.status === 'failed') {
      this.clear();
      for (const d of errors.length > 0 ? errors : [undefined]) this.io.stderr(`ERROR: ${d ? formatDiagnostic(d) : report.label}\n`);
      if (this.options.verbose && report.stack) this.io.stderr(`${report.stack}\n`);
    } else if (report.status === 'skipped' && this.options.verbose) {
      lines.push(`skipped  ${report.label}: ${errors.map((d) => d.message).join('; ')}`);
    }
    if (lines.length > 0) {
      this.clear();
      this.io.stdout(`${lines.join('\n')}\n`);
    }
    this.draw();
  }

  cachedQuietly(count: number): boolean {
    // --verbose prints a line per cached target: it needs every report.
    if (this.options.verbose) return false;
    this.done += count;
    this.draw();
    return true;
  }

  warning(message: string): void {
    this.clear();
    this.io.stderr(`WARNING: ${message}\n`);
  }

  finished(summary: BuildSummary): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
    this.clear();
    const parts = [`${summary.executed} executed`, `${summary.cached} cached`];
    if (summary.failed) parts.push(`${summary.failed} failed`);
    if (summary.skipped) parts.push(`${summary.skipped} skipped`);
    if (summary.warnings) parts.push(`${summary.warnings} warning(s)`);
    this.io.stdout(`kiln: ${summary.platform}: ${parts.join(', ')} in ${(summary.durationMs / 1000).toFixed(2)} s\n`);
  }

  /**
   * Drawn on events (at most every 50 ms: a no-op build has thousands) and on the ticker, which
   * also draws what throttling skipped (a skipped draw used to leave "1 running" on screen while
   * two cooks ran). The ETA spreads the actions still to do over the
   * concurrency measured so far (cook time / wall time), minus what the running ones have done.
   */
  private draw(tick = false): void {
    if (!this.options.live) return;
    const now = this.now();
    if (!tick && now - this.lastDraw < 50 && this.done < this.total) {
      this.stale = true;
      return;
    }
    this.lastDraw = now;
    this.stale = false;
    const elapsedMs = now - this.startedAt;
    const running = [...this.running.entries()].sort((a, b) => a[1] - b[1]);
    const eta = this.etaSeconds(now, elapsedMs, running.map(([, since]) => since));
    const head = `[${this.done}/${this.total}] ${(elapsedMs / 1000).toFixed(1)}s${eta !== undefined ? ` ETA ~${eta}s` : ''}`;
    const tail = running.length > 0 ? ` ${running.length} running: ${running.slice(0, 3).map(([label, since]) => `${label} ${Math.floor((now - since) / 1000)}s`).join(', ')}${running.length > 3 ? ', …' : ''}` : '';
    const columns = this.options.columns ?? process.stdout.columns ?? 100;
    this.io.stdout(`\r\x1b[K${(head + tail).slice(0, columns - 1)}`);
  }

  private etaSeconds(now: number, elapsedMs: number, runningSince: number[]): number | undefined {
    if (this.executed === 0 || elapsedMs <= 0) return undefined;
    const perAction = this.executedMs / this.executed;
    const concurrency = Math.max(1, Math.min(this.executedMs / elapsedMs, runningSince.length || 1));
    const inFlight = runningSince.reduce((ms, since) => ms + Math.max(0, perAction - (now - since)), 0);
    const queued = Math.max(0, this.total - this.done - runningSince.length) * perAction;
    return Math.round((queued + inFlight) / concurrency / 1000);
  }

  private clear(): void {
    if (this.options.live) this.io.stdout('\r\x1b[K');
  }
}
