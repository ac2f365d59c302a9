/**
 * The kept builds: a list, and for the chosen one its timeline per worker from the Chrome trace,
 * cache hit rates (local / remote), the pipeline metrics, what ran and why, and failures with
 * file:line as the engine formatted them.
 */
import { api, formatBytes, type BuildSummary, type TraceEvent } from './api.js';
import { clear, h } from './dom.js';

function formatLocation(l: { file: string; line?: number; column?: number }): string {
  return `${l.file}${l.line !== undefined ? `:${l.line}` : ''}${l.line !== undefined && l.column !== undefined ? `:${l.column}` : ''}`;
}

export async function showBuilds(panel: HTMLElement, select: (label: string) => void): Promise<void> {
  clear(panel);
  const builds = await api.builds();
  if (builds.length === 0) {
    panel.append(h('p', { class: 'hint' }, 'No builds kept yet: run kiln build.'));
    return;
  }
  const list = h('table', { id: 'build-list' }, h('tr', {}, h('th', {}, 'when'), h('th', {}, 'platform'), h('th', {}, 'ran'), h('th', {}, 'cached'), h('th', {}, 'failed'), h('th', {}, 'hit rate'), h('th', {}, 'time'), h('th', {}, 'over budget')));
  const detail = h('div', { id: 'build-detail' });
  for (const b of builds) {
    const row = h('tr', { class: 'build-row', 'data-id': b.id }, h('td', {}, new Date(b.at).toLocaleString()), h('td', {}, b.platform), h('td', {}, b.executed), h('td', {}, b.cached), h('td', { class: b.failed ? 'err' : '' }, b.failed),
      h('td', {}, b.metrics ? `${Math.round(b.metrics.cacheHitRate * 100)}%` : ''), h('td', {}, `${(b.durationMs / 1000).toFixed(2)} s`), h('td', { class: b.overBudget ? 'err' : '' }, b.overBudget));
    row.style.cursor = 'pointer';
    row.addEventListener('click', () => void showBuild(detail, b.id, select));
    list.append(row);
  }
  panel.append(h('h3', {}, 'last builds'), list, detail);
  await showBuild(detail, builds[0]!.id, select);
}

async function showBuild(panel: HTMLElement, id: string, select: (label: string) => void): Promise<void> {
  clear(panel);
  const summary = await api.build(id);
  panel.append(h('h3', {}, `build ${id} (${summary.platform})`));
  metricsTable(panel, summary);
  const failures = summary.targets.filter((t) => t.status === 'failed');
  if (failures.length > 0) {
    const lines = (t: (typeof failures)[number]) => {
      const errors = t.diagnostics.filter((d) => d.severity === 'error');
      if (errors.length === 0) return t.error ?? t.label;
      return errors.map((d) => [d.location ? formatLocation(d.location) : '', d.label ?? t.label, d.message].filter(Boolean).join(': ')).join('\n');
    };
    panel.append(h('h4', {}, 'failures'), ...failures.map((t) => h('pre', { class: 'err failure' }, lines(t))));
  }
  try {
    timeline(panel, (await api.trace(id)).traceEvents, select);
  } catch {
    panel.append(h('p', { class: 'hint' }, 'no trace kept for this build'));
  }
  const ran = summary.targets.filter((t) => t.status === 'executed');
  if (ran.length > 0) {
    const table = h('table', { class: 'explain' }, h('tr', {}, h('th', {}, 'target'), h('th', {}, 'ms'), h('th', {}, 'why it ran')));
    for (const t of ran) table.append(h('tr', {}, h('td', {}, t.label), h('td', {}, Math.round(t.durationMs)), h('td', {}, (t.reasons ?? []).join('; '))));
    panel.append(h('h4', {}, `what ran (${ran.length})`), table);
  }
}

function metricsTable(panel: HTMLElement, s: BuildSummary): void {
  const m = s.metrics;
  const remote = s.remote ? ` · remote: ${s.remote.actionHits ?? 0} hits, ${s.remote.actionMisses ?? 0} misses` : '';
  panel.append(h('p', { class: 'metrics' }, `${s.executed} ran, ${s.cached} cached, ${s.failed} failed in ${(s.durationMs / 1000).toFixed(2)} s${remote}`));
  if (!m) return;
  const rows = Object.entries(m.averageCookMsByType).map(([type, ms]) => h('tr', {}, h('td', {}, type), h('td', {}, m.cookedByType[type] ?? 0), h('td', {}, `${ms} ms`)));
  panel.append(
    h('p', { class: 'metrics' }, `cache hit rate ${Math.round(m.cacheHitRate * 1000) / 10}% (local ${m.localHits}, remote ${m.remoteHits}) · ${formatBytes(m.bytesCooked)} cooked${m.hotReloadsPerMinute !== undefined ? ` · ${m.hotReloadsPerMinute} hot reloads/min` : ''}`),
    h('table', { class: 'cook-times' }, h('tr', {}, h('th', {}, 'type'), h('th', {}, 'cooked'), h('th', {}, 'mean cook time')), ...rows),
  );
}

/** One lane per worker row of the trace; a span per action, coloured by executed / cached / failed. */
function timeline(panel: HTMLElement, events: readonly TraceEvent[], select: (label: string) => void): void {
  const spans = events.filter((e) => e.ph === 'X' && e.dur !== undefined);
  if (spans.length === 0) return;
  const names = new Map(events.filter((e) => e.ph === 'M').map((e) => [e.tid, String(e.args?.name ?? e.tid)]));
  const end = Math.max(...spans.map((s) => s.ts + (s.dur ?? 0)));
  const width = 1000;
  const box = h('div', { class: 'timeline' });
  for (const tid of [...new Set(spans.map((s) => s.tid))].sort((a, b) => a - b)) {
    const lane = h('div', { class: 'lane', title: names.get(tid) ?? `job ${tid}` });
    for (const s of spans.filter((x) => x.tid === tid)) {
      const span = h('div', { class: `span ${s.cat}`, title: `${s.name} ${s.cat} ${((s.dur ?? 0) / 1000).toFixed(1)} ms` }, s.name);
      span.style.left = `${(s.ts / end) * width}px`;
      span.style.width = `${Math.max(1, ((s.dur ?? 0) / end) * width)}px`;
      span.addEventListener('click', () => select(s.name));
      lane.append(span);
    }
    box.append(h('div', { class: 'hint' }, names.get(tid) ?? `job ${tid}`), lane);
  }
  box.style.width = `${width + 20}px`;
  panel.append(h('h4', {}, `timeline (${(end / 1e6).toFixed(2)} s, per worker)`), box);
}
