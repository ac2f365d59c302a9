import { LineCounter, parseDocument } from 'yaml';
import { RuleError } from '../../src/rule/rule-error.js';
import { parseCsv } from './parse-csv.js';

export type DataFormat = 'json' | 'yaml' | 'csv';

/** Parse one source; syntax errors become RuleErrors at file:line:column. */
export function parseData(text: string, file: string, format: DataFormat | 'auto', csvTyped: boolean): unknown {
  const chosen = format === 'auto' ? formatOf(file) : format;
  if (chosen === 'csv') return parseCsv(text, file, csvTyped);
  if (chosen === 'json') {
    try {
      return JSON.parse(text);
    } catch (error) {
      const message = (error as Error).message;
      const position = /position (\d+)/.exec(message);
      const where = position ? lineColumn(text, Number(position[1])) : {};
      throw new RuleError(`invalid JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}`, { file, ...where });
    }
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const pos = first.linePos?.[0];
    throw new RuleError(`invalid YAML: ${first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`, { file, line: pos?.line, column: pos?.col });
  }
  return doc.toJS({ maxAliasCount: 1000 });
}

function formatOf(file: string): DataFormat {
  const lower = file.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  throw new RuleError('cannot tell the data format from the file extension; set format: json | yaml | csv', { file });
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before[before.length - 1]?.length ?? 0) + 1 };
}
