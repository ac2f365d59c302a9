/** Budgets of the newest build per platform, as bars against their limits, with the largest offenders. */
import { api, formatBytes, type BudgetResult } from './api.js';
import { clear, h } from './dom.js';

function figure(r: BudgetResult, value: number): string {
  if (r.measure.endsWith('_bytes')) return formatBytes(value);
  if (r.measure === 'texture_size') return `${value} px`;
  if (r.measure === 'audio_seconds') return `${value} s`;
  return String(value);
}

export async function showBudgets(panel: HTMLElement, select: (label: string) => void): Promise<void> {
  clear(panel);
  const byPlatform = await api.budgets();
  const platforms = Object.keys(byPlatform).sort();
  if (platforms.length === 0) panel.append(h('p', { class: 'hint' }, 'No budgets checked yet: declare max_download_bytes, max_vram_bytes, … on a bundle or under budgets: in assets.yaml, then kiln build.'));
  for (const platform of platforms) {
    const report = byPlatform[platform]!;
    panel.append(h('h3', {}, `${platform}: ${report.errors} over, ${report.warnings} warning(s)`));
    const table = h('table', { class: 'budgets', 'data-platform': platform });
    for (const r of report.results) {
      const ratio = r.limit === 0 ? (r.use > 0 ? 1 : 0) : Math.min(1, r.use / r.limit);
      const kind = r.status === 'over' ? (r.severity === 'error' ? 'over' : 'warn') : 'ok';
      const bar = h('div', { class: `bar ${kind}` }, h('div', {}));
      (bar.firstChild as HTMLElement).style.width = `${Math.round(ratio * 100)}%`;
      const offenders = h('td', {}, ...r.offenders.flatMap((o) => {
        const a = h('a', { class: 'label' }, o.label);
        a.addEventListener('click', () => select(o.label));
        return [a, ` ${figure(r, o.value)} `];
      }));
      table.append(h('tr', { class: `budget ${r.status}` }, h('td', {}, r.scope), h('td', {}, r.measure), h('td', {}, bar), h('td', {}, `${figure(r, r.use)} / ${figure(r, r.limit)}`), h('td', {}, r.status), offenders));
    }
    panel.append(table);
    for (const u of report.unchecked) panel.append(h('p', { class: 'hint' }, `${u.scope}: not checked, ${u.reason}`));
  }
}
