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
}

/** What `build` returns: the summary, the analysed graph (computed on first use after a recorded build), what `derive` gave. */
export type BuildResult = BuildSummary & { graph: TargetGraph; extra?: unknown };

/** What one run of the four steps leaves for the build record. */
export interface BuildRun {
  summary: BuildSummary & { graph: TargetGraph };
  graphId: string;
  order: readonly string[];
  requested: readonly string[];
  reports: ReadonlyMap<string, TargetReport>;
}
