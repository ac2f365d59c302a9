/** The studio's JSON API as the page sees it (mirrors src/studio/*.ts on the server side; src/studio/app-api-contract.ts checks at compile time that what the server sends satisfies these). */

export interface TargetRow {
  label: string;
  pkg: string;
  rule: string;
  type: string;
  deps: string[];
  overrides: string[];
  priority: string;
  broken?: string;
}

export interface GraphView {
  workspace: string;
  platforms: string[];
  defaultPlatform: string;
  targets: TargetRow[];
  errors: { label: string; message: string }[];
}

export interface OutputReport {
  name: string;
  digest: string;
  size: number;
}

export interface Diagnostic {
  code: string;
  severity: string;
  message: string;
  label?: string;
  location?: { file: string; line?: number; column?: number };
}

export interface TargetReport {
  label: string;
  rule: string;
  status: string;
  durationMs: number;
  reasons?: string[];
  outputs: OutputReport[];
  diagnostics: Diagnostic[];
  stats: Record<string, number | string | boolean>;
  size?: { sourceBytes: number; outputBytes: number; uncompressedBytes: number; estimatedLoadMs: number };
  error?: string;
}

export interface PipelineMetrics {
  cacheHitRate: number;
  localHits: number;
  remoteHits: number;
  averageCookMsByType: Record<string, number>;
  cookedByType: Record<string, number>;
  bytesCooked: number;
  hotReloadsPerMinute?: number;
}

export interface BudgetResult {
  scope: string;
  measure: string;
  use: number;
  limit: number;
  status: 'under' | 'at' | 'over';
  severity: 'error' | 'warning';
  offenders: { label: string; value: number }[];
  where: { file: string; line?: number; column?: number };
}

export interface BudgetReport {
  platform: string;
  results: BudgetResult[];
  unchecked: { scope: string; reason: string }[];
  errors: number;
  warnings: number;
}

export interface BuildListing {
  id: string;
  at: number;
  platform: string;
  executed: number;
  cached: number;
  failed: number;
  skipped: number;
  durationMs: number;
  metrics?: PipelineMetrics;
  overBudget: number;
}

export interface BuildSummary {
  platform: string;
  executed: number;
  cached: number;
  failed: number;
  skipped: number;
  durationMs: number;
  targets: TargetReport[];
  remote?: Record<string, number | string>;
  metrics?: PipelineMetrics;
  budgets?: BudgetReport;
}

export interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  tid: number;
  args?: Record<string, unknown>;
}

export interface OutputVersion {
  name: string;
  digest: string;
  size: number;
  meta: Record<string, unknown>;
}

export interface AssetVersion {
  label: string;
  assetType: string;
  outputs: OutputVersion[];
}

export interface AssetView {
  label: string;
  reports: Record<string, { build: string; at: number; report: TargetReport }>;
  live?: { platform: string; version?: AssetVersion };
}

async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(path, { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

export const api = {
  graph: () => getJson<GraphView>('/api/graph'),
  builds: () => getJson<BuildListing[]>('/api/builds'),
  build: (id: string) => getJson<BuildSummary>(`/api/builds/${encodeURIComponent(id)}`),
  trace: (id: string) => getJson<{ traceEvents: TraceEvent[] }>(`/api/builds/${encodeURIComponent(id)}/trace`),
  asset: (label: string) => getJson<AssetView>(`/api/asset?label=${encodeURIComponent(label)}`),
  budgets: () => getJson<Record<string, BudgetReport & { build: string }>>('/api/budgets'),
  built: () => getJson<Record<string, string[]>>('/api/built'),
  live: () => getJson<{ mode: 'ui' | 'watch'; platform?: string }>('/api/live'),
};

/** Bytes of a blob by digest (the same `/cas/<digest>` under `kiln ui` and `kiln watch`). */
export async function blob(digest: string): Promise<ArrayBuffer> {
  const response = await fetch(`/cas/${encodeURIComponent(digest)}`);
  if (!response.ok) throw new Error(`blob ${digest}: HTTP ${response.status}`);
  return response.arrayBuffer();
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}
