import type { TargetGraph } from '../graph/target-graph.js';
import { DiagnosticError } from '../diagnostic/diagnostic.js';
import type { BuildRequest } from './build-request.js';
import type { BuildReporter, TargetReport } from './build-result.js';
import type { GraphInputs } from './graph-inputs.js';
import type { LastBuild, TalliedReports } from './last-build.js';
import { materializeKind, type MaterializeEnv, type MaterializedValue } from './requests/materialize-outputs.js';
import type { NodeOutcome } from './run-dag.js';
import type { AsyncRequestKind, RequestTracker } from './tracker/request-tracker.js';

/** What the materialize requests read (`fresh`: the run step's bytes), plus the step's own. */
export interface MaterializeStepOptions extends MaterializeEnv {
  request: BuildRequest;
  reporter: BuildReporter;
  tracker: RequestTracker;
  graph: TargetGraph;
  inputs: GraphInputs;
  /** The last build's reports and paths, updated in place (a watch build on the same graph). */
  last: LastBuild | undefined;
  reports: TalliedReports;
  /** What the run step scheduled, and how it ended (a fresh build's test of what to write). */
  dagOutcomes: ReadonlyMap<string, NodeOutcome>;
  /** Limits kiln-out to targets the original request asked for (a partial build). */
  materializeOnly: ReadonlySet<string> | undefined;
  watching: boolean;
}

/**
 * The materialize step: a request per requested target that built, writing its outputs under
 * kiln-out. A fresh build writes them after the run; a watch build writes each one as soon as
 * its action is done (`ready`), then the ones whose kiln-out files were touched (`writeRest`).
 */
export class MaterializeStep {
  readonly materializer: AsyncRequestKind<{ label: string; pkg: string }, MaterializedValue>;
  /** kiln-out files this build wrote or kept, in request order (a fresh build's summary). */
  readonly materialized: string[] = [];
  /** kiln-out paths per requested target (a watch build's are the last build's, updated). */
  readonly paths: Map<string, string[]>;
  readonly materializing: boolean;
  /** Requested targets whose kiln-out this build wrote (a watch build: right after each ran). */
  private readonly written = new Set<string>();

  constructor(private readonly o: MaterializeStepOptions) {
    this.materializer = materializeKind({ outDir: o.outDir, platform: o.platform, blobs: o.blobs, action: o.action, inputOf: o.inputOf, fresh: o.fresh });
    this.paths = o.last?.paths ?? new Map<string, string[]>();
    this.materializing = o.request.materialize !== false && !o.request.validateOnly;
  }

  /** One requested target's kiln-out; a failure there fails that target only. */
  async target(label: string): Promise<void> {
    const { last, reports, graph, inputs, materializeOnly, tracker } = this.o;
    this.written.add(label);
    const status = reports.get(label)?.status;
    if ((last ? status === undefined || status === 'failed' || status === 'skipped' : this.o.dagOutcomes.get(label) !== 'ok') || (materializeOnly && !materializeOnly.has(label))) {
      this.paths.delete(label);
      return;
    }
    let input = inputs.materialize.get(label);
    if (!input) inputs.materialize.set(label, (input = { label, pkg: graph.target(label).pkg }));
    let value = this.o.watching ? tracker.currentValue<typeof input, MaterializedValue>(this.materializer, input) : undefined;
    try {
      value ??= await tracker.runAsync(this.materializer, input);
    } catch (error) {
      // One target's kiln-out files failing (a name too long, a full disk, a bad blob) fails
      // that target only; the rest of kiln-out is still written.
      if (!(error instanceof DiagnosticError)) throw error;
      this.paths.delete(label);
      const report = reports.get(label);
      const failed: TargetReport = { ...(report ?? { label, rule: graph.target(label).rule, durationMs: 0, outputs: [], stats: {}, diagnostics: [] }), status: 'failed', diagnostics: [...(report?.diagnostics ?? []), ...error.diagnostics], ...(error.stack ? { stack: error.stack } : {}) };
      reports.set(label, failed);
      this.o.reporter.actionFinished(failed);
      return;
    }
    this.paths.set(label, value.paths);
    if (!last) this.materialized.push(...value.paths);
  }

  /**
   * A watch build writes a requested target's kiln-out as soon as its action is done and tells
   * the caller (onTargetReady), so a texture's `changed` does not wait for the bundle using it.
   */
  readonly ready = async (label: string, outcome: 'ok' | 'failed'): Promise<'ok' | 'failed'> => {
    const { last, request, reports, graph } = this.o;
    if (!last || !this.materializing || !this.o.inputs.requested.has(label)) return outcome;
    await this.target(label);
    const report = reports.get(label);
    if (report && report.status !== 'failed') request.onTargetReady?.(report, graph);
    return outcome;
  };

  /**
   * After the run: on the last build's graph, only the targets that ran (each as soon as it ran,
   * see `ready`) or whose kiln-out files were touched; everyone else keeps its paths. Otherwise
   * every requested target.
   */
  async writeRest(pending: readonly string[], rematerialize: ReadonlySet<string>): Promise<void> {
    if (!this.materializing) return;
    const { last, graph } = this.o;
    const requested = this.o.inputs.requested;
    const toWrite = last ? [...new Set([...pending, ...rematerialize])].filter((label) => requested.has(label) && last.index.has(label) && !this.written.has(label)).sort((a, b) => last.index.get(a)! - last.index.get(b)!) : graph.requested;
    for (const label of toWrite) await this.target(label);
  }
}
