/** `kiln report --html FILE`: one self-contained page (no scripts, no network) with a bar per budget. */
import { formatMeasure, statusText } from './budget-table.js';
import type { BudgetReport } from './check-budgets.js';

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function budgetHtml(report: BudgetReport, title: string): string {
  const rows = report.results.map((r) => {
    const ratio = r.limit === 0 ? (r.use > 0 ? 2 : 0) : r.use / r.limit;
    const width = Math.min(100, Math.round(ratio * 100));
    const colour = r.status === 'over' ? (r.severity === 'error' ? '#d33' : '#e90') : '#3a3';
    const offenders = r.offenders.map((o) => escapeHtml(o.label)).join(', ');
    return `<tr class="${r.status}"><td>${escapeHtml(r.scope)}</td><td>${r.measure}</td><td>${escapeHtml(formatMeasure(r.measure, r.use))}</td><td>${escapeHtml(formatMeasure(r.measure, r.limit))}</td>`
      + `<td><div class="bar"><div style="width:${width}%;background:${colour}"></div></div> ${escapeHtml(statusText(r))}</td><td>${offenders}</td></tr>`;
  });
  const unchecked = report.unchecked.map((u) => `<li>${escapeHtml(u.scope)}: ${escapeHtml(u.reason)}</li>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{padding:4px 10px;border-bottom:1px solid #ddd;text-align:left}
.bar{display:inline-block;width:160px;height:10px;background:#eee;vertical-align:middle}.bar div{height:100%}tr.over td{font-weight:600}</style></head>
<body><h1>${escapeHtml(title)}</h1><p>platform: ${escapeHtml(report.platform)} · ${report.errors} over (error) · ${report.warnings} over (warning)</p>
<table><thead><tr><th>target</th><th>measure</th><th>use</th><th>limit</th><th>status</th><th>top offenders</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>${unchecked ? `<h2>Not checked</h2><ul>${unchecked}</ul>` : ''}</body></html>
`;
}
