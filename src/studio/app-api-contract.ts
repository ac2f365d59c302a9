/**
 * The studio page (src/studio/app: a browser build with its own tsconfig and no Node types)
 * declares the JSON it reads in its own api.ts, as the page sees it: it cannot import the server's
 * modules, which pull in Node. This file holds the two sides together at compile time — it emits
 * nothing, and `npm run build` fails when a shape the server sends stops satisfying what the page
 * reads (a renamed field, a narrowed union on the page, a field the page needs that the server
 * dropped).
 */
import type * as Page from './app/src/api.js';
import type { BudgetReport, BudgetResult } from '../budget/check-budgets.js';
import type { BuildSummary, TargetReport } from '../engine/build-result.js';
import type { Diagnostic } from '../diagnostic/diagnostic.js';
import type { AssetVersion, OutputVersion } from '../format/hot-reload-protocol.js';
import type { PipelineMetrics } from '../metrics/pipeline-metrics.js';
import type { BuildListing } from './build-index.js';
import type { GraphView, TargetRow } from './target-rows.js';

/** Compiles only when every `Server` value is a valid `Page` value. */
type Sends<Server extends Page, Page> = [Server, Page];

export type StudioApiContract = [
  Sends<TargetRow, Page.TargetRow>,
  Sends<GraphView, Page.GraphView>,
  Sends<Diagnostic, Page.Diagnostic>,
  Sends<TargetReport, Page.TargetReport>,
  Sends<PipelineMetrics, Page.PipelineMetrics>,
  Sends<BudgetResult, Page.BudgetResult>,
  Sends<BudgetReport, Page.BudgetReport>,
  Sends<BuildListing, Page.BuildListing>,
  Sends<BuildSummary & { budgets?: BudgetReport; metrics?: PipelineMetrics }, Page.BuildSummary>,
  Sends<OutputVersion, Page.OutputVersion>,
  Sends<AssetVersion, Page.AssetVersion>,
];
