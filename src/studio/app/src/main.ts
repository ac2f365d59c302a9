/**
 * The studio page: targets (searchable, filterable virtualised list + details with previews),
 * builds and budgets tabs; under `kiln watch`, live updates from the dev server's events.
 */
import { api, type GraphView } from './api.js';
import { showBudgets } from './budgets-view.js';
import { showBuilds } from './builds-view.js';
import { clear, h } from './dom.js';
import { GraphCanvas } from './graph-canvas.js';
import { connectLive } from './live.js';
import { showDetails } from './target-details.js';
import { TargetIndex } from './target-index.js';
import { VirtualList } from './virtual-list.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const state = { built: {} as Record<string, Set<string>>, index: undefined as TargetIndex | undefined, selected: '', tab: 'targets', liveErrors: [] as { label: string; where: string; message: string }[], graphErrors: [] as GraphView['errors'] };

const list = new VirtualList<TargetIndex['view']['targets'][number]>($('target-list'), (row, el) => {
  el.dataset.label = row.label;
  if (row.label === state.selected) el.classList.add('selected');
  if (row.broken) el.classList.add('broken');
  el.append(row.label, h('span', { class: 'type' }, row.type));
  el.addEventListener('click', () => select(row.label));
});

function filtered() {
  return state.index!.filter({
    search: $<HTMLInputElement>('search').value,
    type: $<HTMLSelectElement>('filter-type').value,
    pkg: $<HTMLSelectElement>('filter-pkg').value,
    platform: $<HTMLSelectElement>('filter-platform').value,
    builtOn: state.built[$<HTMLSelectElement>('filter-platform').value],
  });
}

function refreshList(): void {
  if (!state.index) return;
  const rows = filtered();
  $('count').textContent = `${rows.length} of ${state.index.view.targets.length} targets`;
  list.setItems(rows);
}

function select(label: string): void {
  state.selected = label;
  history.replaceState(null, '', `#${encodeURIComponent(label)}`);
  switchTab('targets');
  list.redraw();
  void showDetails($('details'), label, { index: state.index!, platform: $<HTMLSelectElement>('filter-platform').value, select });
}

function fillSelect(id: string, values: readonly string[], first: string): void {
  const select = $<HTMLSelectElement>(id);
  const current = select.value;
  clear(select);
  select.append(h('option', { value: '' }, first), ...values.map((v) => h('option', { value: v }, v)));
  if (values.includes(current)) select.value = current;
}

function renderErrors(): void {
  const box = $('errors');
  const lines = [...state.graphErrors.map((e) => e.message), ...state.liveErrors.map((e) => `${e.where ? `${e.where}: ` : ''}${e.label}: ${e.message}`)];
  box.hidden = lines.length === 0;
  box.textContent = [...new Set(lines)].join('\n');
}

async function loadGraph(): Promise<void> {
  const [view, built] = await Promise.all([api.graph(), api.built()]);
  state.built = Object.fromEntries(Object.entries(built).map(([p, labels]) => [p, new Set(labels)]));
  state.index = new TargetIndex(view);
  state.graphErrors = view.errors;
  $('workspace').textContent = view.workspace ? `${view.workspace} · ${view.targets.length} targets` : '';
  fillSelect('filter-type', state.index.types, 'every type');
  fillSelect('filter-pkg', state.index.packages.map((p) => p), 'every package');
  fillSelect('filter-platform', view.platforms, 'every platform');
  renderErrors();
  refreshList();
  document.body.dataset.ready = 'true';
}

function switchTab(tab: string): void {
  state.tab = tab;
  for (const button of document.querySelectorAll<HTMLButtonElement>('nav button')) button.classList.toggle('active', button.dataset.tab === tab);
  for (const name of ['targets', 'builds', 'budgets']) $(`tab-${name}`).hidden = name !== tab;
  if (tab === 'builds') void showBuilds($('tab-builds'), select);
  if (tab === 'budgets') void showBudgets($('tab-budgets'), select);
}

for (const button of document.querySelectorAll<HTMLButtonElement>('nav button')) button.addEventListener('click', () => switchTab(button.dataset.tab!));
for (const id of ['search', 'filter-type', 'filter-pkg']) $(id).addEventListener('input', refreshList);
$('filter-platform').addEventListener('input', () => {
  refreshList();
  if (state.selected) select(state.selected);
});

/** With nothing selected, the details panel shows the package overview (the coarsest level of detail). */
function showOverview(): void {
  if (!state.index) return;
  const graph = new GraphCanvas(state.index, select);
  const panel = $('details');
  clear(panel);
  panel.append(h('h2', {}, 'packages'), h('p', { class: 'hint' }, 'Each dot is a package, each line a dependency between packages; click one to list its targets, or pick a target on the left. Wheel zooms, drag pans.'), graph.canvas);
  graph.canvas.style.height = '520px';
  graph.overview((pkg) => {
    $<HTMLSelectElement>('filter-pkg').value = pkg;
    refreshList();
  });
}

async function start(): Promise<void> {
  await loadGraph();
  const hash = decodeURIComponent(location.hash.slice(1));
  if (hash && state.index?.byLabel.has(hash)) select(hash);
  else showOverview();
  const live = await api.live();
  if (live.mode !== 'watch') {
    $('live-status').textContent = 'kiln ui (read-only)';
    return;
  }
  connectLive($('live-status'), {
    changed(label) {
      if (label === state.selected) select(label);
    },
    errors(list) {
      state.liveErrors = list;
      renderErrors();
    },
    finished() {
      void loadGraph();
    },
  });
}

void start().catch((error: Error) => {
  $('errors').hidden = false;
  $('errors').textContent = `studio: ${error.message}`;
});
