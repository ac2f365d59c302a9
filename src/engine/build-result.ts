import type { Diagnostic } from '../diagnostic/diagnostic.js';
import type { SizeReport } from './size-report.js';

export type ActionStatus = 'executed' | 'cached' | 'failed' | 'skipped';

/** What happened to one target in one build. */
export interface TargetReport {
  label: string;
  rule: string;
  status: ActionStatus;
  /** Time spent on this target in this build (cook time when executed, lookup time when cached). */
  durationMs: number;
  /** Why it ran (executed only): what changed since its last build. */
  reasons?: string[];
  outputs: { name: string; digest: string; size: number }[];
  /** Everything said about the target: rule warnings, and why it failed or was skipped (severity error). */
  diagnostics: Diagnostic[];
  stats: Record<string, number | string | boolean>;
  /** Source, output and decoded sizes and an estimated load time (executed and cached targets). */
  size?: SizeReport;
  /** Where the cook ran (executed only): a pool worker thread or the build's own thread. */
  ranIn?: 'worker' | 'in-process' | 'remote';
  /** Stack trace of a rule crash, shown with --verbose. */
  stack?: string;
}

/** The machine-readable build summary (`--summary-json`). */
export interface BuildSummary {
  platform: string;
  /** Actions run. */
  executed: number;
  /** Actions served from the action cache (local state, local cache or remote). */
  cached: number;
  failed: number;
  skipped: number;
  durationMs: number;
  /** Files read and hashed because the stat cache could not vouch for them. */
  filesHashed: number;
  warnings: number;
  targets: TargetReport[];
  /** Output files written under kiln-out. */
  materialized: string[];
  /** Remote cache figures and warnings, when one is configured. */
  remote?: Record<string, number | string>;
}

/** Receives progress; the CLI draws a status line or prints plain lines from it. */
export interface BuildReporter {
  started(total: number): void;
  actionStarted(label: string, rule: string): void;
  actionFinished(report: TargetReport): void;
  /**
   * Optional: `count` targets finished cached with nothing to print (a build record's replay,
   * which then skips parsing their reports). False: this reporter needs each report after all.
   */
  cachedQuietly?(count: number): boolean;
  warning(message: string): void;
  finished(summary: BuildSummary): void;
}

export const silentReporter: BuildReporter = {
  started() {},
  actionStarted() {},
  actionFinished() {},
  cachedQuietly: () => true,
  warning() {},
  finished() {},
};
