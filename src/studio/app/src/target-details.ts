/**
 * The right-hand panel for one target: what it is, its deps and rdeps (links and a zoomable
 * neighbourhood graph), its outputs per platform with download / in-memory / VRAM sizes, the
 * rule's stats and warnings, and a preview of the cooked bytes.
 */
import { api, blob, formatBytes, type AssetView, type OutputReport, type TargetReport } from './api.js';
import { clear, h } from './dom.js';
import { GraphCanvas } from './graph-canvas.js';
import { modelPreview } from './model-preview.js';
import { audioPreview, sourcePreview } from './other-previews.js';
import type { TargetIndex } from './target-index.js';
import { texturePreview } from './texture-preview.js';

export interface DetailsContext {
  index: TargetIndex;
  /** Platform whose outputs are previewed ('' = the first one with a build). */
  platform: string;
  select: (label: string) => void;
}

let graph: GraphCanvas | undefined;
let shownFor: TargetIndex | undefined;
/** Bumped on every show(): a slow preview of a target no longer shown is dropped. */
let generation = 0;

function link(label: string, select: (l: string) => void): HTMLElement {
  const a = h('a', { class: 'label', 'data-label': label }, label);
  a.addEventListener('click', () => select(label));
  return a;
}

export async function showDetails(panel: HTMLElement, label: string, ctx: DetailsContext): Promise<void> {
  const mine = ++generation;
  const row = ctx.index.byLabel.get(label);
  clear(panel);
  if (!row) {
    panel.append(h('p', { class: 'hint' }, `${label} is not in the workspace any more.`));
    return;
  }
  panel.append(h('h2', {}, label), h('p', {}, `${row.type} · rule ${row.rule} · package //${row.pkg} · priority ${row.priority}`));
  if (row.broken) panel.append(h('pre', { class: 'err broken-target' }, row.broken));
  const rdeps = ctx.index.rdeps.get(label) ?? [];
  const deps = h('div', {}, h('strong', {}, `deps (${row.deps.length}): `), ...row.deps.flatMap((d) => [link(d, ctx.select), ' ']));
  const rdepList = h('div', {}, h('strong', {}, `rdeps (${rdeps.length}): `), ...rdeps.flatMap((d) => [link(d, ctx.select), ' ']));
  if (!graph || shownFor !== ctx.index) {
    graph = new GraphCanvas(ctx.index, ctx.select);
    shownFor = ctx.index;
  }
  panel.append(deps, rdepList, graph.canvas);
  graph.show(label);

  const view = await api.asset(label);
  if (mine !== generation) return;
  const outputsSection = h('section', { id: 'outputs' });
  panel.append(outputsSection);
  renderOutputs(outputsSection, view);
  const chosen = pickReport(view, ctx.platform);
  const outputs: OutputReport[] | undefined = view.live?.version && (!ctx.platform || ctx.platform === view.live.platform)
    ? view.live.version.outputs.map((o) => ({ name: o.name, digest: o.digest, size: o.size }))
    : chosen?.report.outputs;
  if (chosen) renderReport(panel, chosen.platform, chosen.report);
  const preview = h('section', { class: 'preview', id: 'preview' }, h('h3', {}, `preview${chosen ? ` (${view.live?.version ? view.live.platform : chosen.platform})` : ''}`));
  panel.append(preview);
  if (!outputs || outputs.length === 0) {
    preview.append(h('p', { class: 'hint' }, 'not built yet on this platform: run kiln build (or kiln watch) to see it here'));
    return;
  }
  try {
    await renderPreview(row.type, outputs, preview, chosen?.platform ?? view.live?.platform ?? '');
    preview.dataset.ready = 'true';
  } catch (error) {
    preview.append(h('p', { class: 'err' }, `preview failed: ${(error as Error).message}`));
    preview.dataset.ready = 'error';
  }
}

function pickReport(view: AssetView, platform: string): { platform: string; report: TargetReport } | undefined {
  const entry = platform ? view.reports[platform] : Object.values(view.reports).sort((a, b) => b.at - a.at)[0];
  if (!entry) return undefined;
  const name = platform || Object.entries(view.reports).find(([, v]) => v === entry)![0];
  return { platform: name, report: entry.report };
}

function renderOutputs(section: HTMLElement, view: AssetView): void {
  section.append(h('h3', {}, 'outputs per platform'));
  const table = h('table', {}, h('tr', {}, h('th', {}, 'platform'), h('th', {}, 'output'), h('th', {}, 'download'), h('th', {}, 'in memory'), h('th', {}, 'VRAM'), h('th', {}, 'format'), h('th', {}, 'digest')));
  for (const [platform, { report }] of Object.entries(view.reports).sort()) {
    const vram = typeof report.stats.gpu_bytes === 'number' ? formatBytes(report.stats.gpu_bytes) : '';
    const format = String(report.stats.format ?? report.stats.codec ?? '');
    report.outputs.forEach((o, i) => {
      table.append(h('tr', { 'data-platform': platform }, h('td', {}, i === 0 ? platform : ''), h('td', {}, o.name), h('td', {}, formatBytes(o.size)),
        h('td', {}, i === 0 && report.size ? formatBytes(report.size.uncompressedBytes) : ''), h('td', {}, i === 0 ? vram : ''), h('td', {}, i === 0 ? format : ''), h('td', { class: 'digest' }, o.digest)));
    });
  }
  if (view.live?.version) {
    for (const o of view.live.version.outputs) table.append(h('tr', { 'data-platform': view.live.platform, class: 'live' }, h('td', {}, `${view.live.platform} (live)`), h('td', {}, o.name), h('td', {}, formatBytes(o.size)), h('td', {}), h('td', {}), h('td', {}), h('td', { class: 'digest live-digest' }, o.digest)));
  }
  if (table.children.length === 1) section.append(h('p', { class: 'hint' }, 'no build of this target kept yet'));
  else section.append(table);
}

function renderReport(panel: HTMLElement, platform: string, report: TargetReport): void {
  const warnings = report.diagnostics.filter((d) => d.severity !== 'info');
  if (warnings.length > 0) {
    panel.append(h('h3', {}, 'validation'), h('ul', { class: 'diagnostics' }, ...warnings.map((d) => h('li', { class: d.severity === 'error' ? 'err' : 'warn' },
      `${d.location ? `${d.location.file}${d.location.line ? `:${d.location.line}` : ''}: ` : ''}${d.severity}: ${d.message}`))));
  }
  if (report.reasons?.length) panel.append(h('h3', {}, 'why it ran last'), h('ul', {}, ...report.reasons.map((r) => h('li', {}, r))));
  const stats = h('table', { class: 'stats' });
  for (const [key, value] of Object.entries(report.stats)) stats.append(h('tr', {}, h('td', {}, key), h('td', {}, String(value))));
  panel.append(h('details', {}, h('summary', {}, `stats on ${platform} (${report.status}, ${Math.round(report.durationMs)} ms)`), stats));
}

/** A texture target's cooked KTX2 on a platform (the live version under watch when it matches). */
async function textureBytes(label: string, platform: string): Promise<ArrayBuffer | undefined> {
  const view = await api.asset(label);
  const outputs = view.live?.version && view.live.platform === platform ? view.live.version.outputs : (view.reports[platform] ?? Object.values(view.reports)[0])?.report.outputs;
  const ktx = outputs?.find((o) => o.name.endsWith('.ktx2'));
  return ktx ? blob(ktx.digest) : undefined;
}

async function renderPreview(type: string, outputs: readonly OutputReport[], into: HTMLElement, platform: string): Promise<void> {
  if (type === 'texture' || type === 'ui' || type === 'font') {
    const ktx = outputs.find((o) => o.name.endsWith('.ktx2'));
    if (ktx) return texturePreview(await (await fetch(`/cas/${encodeURIComponent(ktx.digest)}`)).arrayBuffer(), into);
    const image = outputs.find((o) => /\.(png|webp|jpe?g|avif)$/.test(o.name));
    if (image) {
      into.append(h('img', { src: `/cas/${encodeURIComponent(image.digest)}`, alt: image.name }));
      return;
    }
  }
  if (type === 'model') {
    const lods = outputs.filter((o) => o.name.endsWith('.glb'));
    if (lods.length > 0) return modelPreview(lods, into, (label) => textureBytes(label, platform));
  }
  if (type === 'audio') return audioPreview(outputs, into);
  return sourcePreview(outputs, into);
}
