/** The budget table printed by `kiln build` and `kiln report`: target, measure, use, limit, status, top offenders. */
import type { BudgetMeasure } from './budget-limits.js';
import type { BudgetReport, BudgetResult } from './check-budgets.js';

const BYTE_MEASURES: ReadonlySet<BudgetMeasure> = new Set(['download_bytes', 'vram_bytes']);

/** A figure in the measure's unit: bytes in KiB/MiB, pixels, seconds, counts. */
export function formatMeasure(measure: BudgetMeasure, value: number): string {
  if (BYTE_MEASURES.has(measure)) {
    if (value < 1024) return `${value} B`;
    if (value < 1024 ** 2) return `${(value / 1024).toFixed(1)} KiB`;
    if (value < 1024 ** 3) return `${(value / 1024 ** 2).toFixed(1)} MiB`;
    return `${(value / 1024 ** 3).toFixed(2)} GiB`;
  }
  if (measure === 'texture_size') return `${value} px`;
  if (measure === 'audio_seconds') return `${value} s`;
  return String(value);
}

/** Use and limit; exact when rounding would show two different figures as the same. */
function figures(r: BudgetResult): [string, string] {
  const use = formatMeasure(r.measure, r.use);
  const limit = formatMeasure(r.measure, r.limit);
  return use === limit && r.use !== r.limit ? [String(r.use), String(r.limit)] : [use, limit];
}

export function statusText(result: BudgetResult): string {
  if (result.status !== 'over') return result.status;
  return result.severity === 'error' ? 'OVER' : 'over (warning)';
}

/** `only: 'over'` prints just the overruns (what `kiln build` shows); `'all'` every result (`kiln report`). */
export function formatBudgetTable(report: BudgetReport, only: 'over' | 'all'): string {
  const rows = report.results.filter((r) => only === 'all' || r.status === 'over');
  const lines: string[] = [];
  if (rows.length > 0) {
    const table = [
      ['target', 'measure', 'use', 'limit', 'status', 'top offenders'],
      ...rows.map((r) => [
        r.scope,
        r.measure,
        ...figures(r),
        statusText(r),
        r.offenders.map((o) => `${o.label} ${formatMeasure(r.measure === 'textures' || r.measure === 'assets' ? 'vram_bytes' : r.measure, o.value)}`).join(', '),
      ]),
    ];
    const widths = table[0]!.map((_, col) => Math.max(...table.map((row) => row[col]!.length)));
    lines.push(`budgets (${report.platform}):`);
    for (const row of table) lines.push(`  ${row.map((cell, col) => (col === row.length - 1 ? cell : cell.padEnd(widths[col]!))).join('  ')}`.trimEnd());
  }
  if (only === 'all') for (const u of report.unchecked) lines.push(`  ${u.scope}: not checked, ${u.reason}`);
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
