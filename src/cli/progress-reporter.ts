import type { BuildReporter, BuildSummary, TargetReport } from '../engine/build-result.js';
import { formatDiagnostic } from '../diagnostic/format-diagnostic.js';
import type { CommandIO } from './command.js';

/**
 * On a TTY: one status line redrawn in place (done/total, what is running, ETA). Otherwise (CI,
 * pipes): one plain line per action that ran or failed, so logs stay greppable.
 */
export class ProgressReporter implements BuildReporter {
  private total = 0;
  private done = 0;
  private readonly running = new Map<string, number>();
  private readonly startedAt = performance.now();
  private executedMs = 0;
  private executed = 0;
  private lastDraw = 0;

  constructor(
    private readonly io: CommandIO,
    private readonly options: { explain: boolean; verbose: boolean; live: boolean },
  ) {}

  started(total: number): void {
    this.total = total;
  }

  actionStarted(label: string): void {
    this.running.set(label, performance.now());
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

  warning(message: string): void {
    this.clear();
    this.io.stderr(`WARNING: ${message}\n`);
  }

  finished(summary: BuildSummary): void {
    this.clear();
    const parts = [`${summary.executed} executed`, `${summary.cached} cached`];
    if (summary.failed) parts.push(`${summary.failed} failed`);
    if (summary.skipped) parts.push(`${summary.skipped} skipped`);
    if (summary.warnings) parts.push(`${summary.warnings} warning(s)`);
    this.io.stdout(`kiln: ${summary.platform}: ${parts.join(', ')} in ${(summary.durationMs / 1000).toFixed(2)} s\n`);
  }

  private draw(): void {
    if (!this.options.live) return;
    const now = performance.now();
    if (now - this.lastDraw < 50 && this.done < this.total) return;
    this.lastDraw = now;
    const running = [...this.running.keys()];
    const perAction = this.executed > 0 ? this.executedMs / this.executed : 0;
    const etaSeconds = perAction > 0 ? Math.round(((this.total - this.done) * perAction) / Math.max(1, running.length) / 1000) : undefined;
    const elapsed = ((now - this.startedAt) / 1000).toFixed(1);
    const head = `[${this.done}/${this.total}] ${elapsed}s${etaSeconds !== undefined ? ` ETA ~${etaSeconds}s` : ''}`;
    const tail = running.length > 0 ? ` ${running.length} running: ${running.slice(0, 3).join(', ')}${running.length > 3 ? ', …' : ''}` : '';
    const columns = process.stdout.columns ?? 100;
    this.io.stdout(`\r\x1b[K${(head + tail).slice(0, columns - 1)}`);
  }

  private clear(): void {
    if (this.options.live) this.io.stdout('\r\x1b[K');
  }
}
