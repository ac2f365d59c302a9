import type { TargetGraph } from '../graph/target-graph.js';
import type { BuildReporter, BuildSummary, TargetReport } from './build-result.js';
import type { RecordView } from './tracker/build-record.js';
import type { LeafScan } from './tracker/record-leaves.js';

export interface BuildRequest {
  patterns: readonly string[];
  keepGoing?: boolean;
  /** Run validators only for the requested targets (their dependencies still build). */
  validateOnly?: boolean;
  /** Copy requested outputs to kiln-out (default true). */
  materialize?: boolean;
  profilePath?: string;
  /**
   * Cook every action twice (cached ones are cooked again too) and compare output digests. A
   * rule that is not deterministic fails its target and nothing of it is cached or uploaded.
   */
  checkDeterminism?: boolean;
  reporter?: BuildReporter;
  signal?: AbortSignal;
  /**
   * Use and keep the build record (tracker/build-record.ts; default true): a fresh builder then
   * answers from it when no leaf changed, and builds only the dirty targets when a source did.
   * Never used in watch mode, with --check-determinism, validators or a remote cache/executor.
   */
  record?: boolean;
  /**
   * What the caller derives from the graph and the reports (budgets): computed after a full
   * build and kept in the record; returned as `extra` (from the record while nothing changed).
   * After a partial build it gets the recorded value as `previous` (reading `graph` then costs
   * a full analysis; skip it when `previous` says there is nothing the graph could change).
   */
  derive?: (summary: BuildSummary, graph: () => TargetGraph, previous: unknown) => unknown;
  /**
   * The record of this request as the caller already read and checked it (the CLI's no-op
   * attempt), so it is not read twice; used only when its key and state folder are this build's.
   */
  checkedRecord?: { view: RecordView; scan: LeafScan };
  /**
   * Watch mode: leave the cache flush and the request graph's save to `Builder.saveState()`, so
   * the caller can announce the new outputs first (they are readable before the flush). The
   * next build, or `close()`, does it when the caller does not.
   */
  deferSave?: boolean;
  /**
   * Watch mode: called for a requested target that built, as soon as its kiln-out files are
   * written — before the targets depending on it run (a texture is announced before the bundle
   * holding it re-cooks). Only in builds that return a BuildDelta with targets; the delta lists
   * the target again.
   */
  onTargetReady?: (report: TargetReport, graph: TargetGraph) => void;
}

/**
 * What a build on a long-lived builder says about its reports compared with an earlier build of
 * that builder, so a caller that saw that one (the watch loop) looks only at what changed.
 */
export interface BuildDelta {
  /** This build's number in its builder. */
  seq: number;
  /** The build `targets` are relative to; absent: no delta, compare every report. */
  since?: number;
  /**
   * Reports of the targets whose report may differ from build `since`, in dependency order.
   * Every other target has that build's report, at most turned from executed to cached (same
   * outputs).
   */
  targets?: readonly TargetReport[];
}

/** What `build` returns: the summary, the analysed graph (computed on first use after a recorded build), what `derive` gave. */
export type BuildResult = BuildSummary & { graph: TargetGraph; extra?: unknown; delta?: BuildDelta };

/** What one run of the four steps leaves for the build record. */
export interface BuildRun {
  summary: BuildSummary & { graph: TargetGraph; delta?: BuildDelta };
  graphId: string;
  order: readonly string[];
  requested: readonly string[];
  reports: ReadonlyMap<string, TargetReport>;
}
