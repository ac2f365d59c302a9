import { RuleError } from '../../src/rule/rule-error.js';

/**
 * RFC 4180 CSV with a header row → an array of objects. Quoted fields may hold commas, quotes
 * ("") and newlines. Typed mode turns numeric and true/false cells into numbers and booleans.
 * Every row remembers the line it starts on, so errors after multi-line quoted cells point at the
 * right line. (csv-parse was considered: its `info.lines` is the line a record ends on, and the
 * start has to be rebuilt from the previous record and skipped empty lines, which is what this
 * small scanner records directly.)
 */
export function parseCsv(text: string, file: string, typed: boolean): Record<string, unknown>[] {
  const rows = splitRows(text.replace(/^\uFEFF/, ''), file);
  const headerRow = rows.shift();
  if (!headerRow) return [];
  const header = headerRow.cells;
  const seen = new Set<string>();
  const names = header.map((cell) => cell.text);
  names.forEach((name, index) => {
    if (name === '') throw new RuleError(`empty column name in header (column ${index + 1})`, { file, line: headerRow.line });
    if (seen.has(name)) throw new RuleError(`duplicate column "${name}"`, { file, line: headerRow.line });
    seen.add(name);
  });
  return rows.map(({ cells, line }) => {
    if (cells.length !== header.length) {
      throw new RuleError(`row has ${cells.length} fields, the header has ${header.length}`, { file, line });
    }
    return Object.fromEntries(names.map((name, i) => [name, typed && !cells[i]!.quoted ? typedCell(cells[i]!.text) : cells[i]!.text]));
  });
}

function typedCell(cell: string): unknown {
  if (cell === 'true') return true;
  if (cell === 'false') return false;
  if (cell !== '' && /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(cell)) return Number(cell);
  return cell;
}

interface Cell {
  text: string;
  /** Quoted cells stay strings even in typed mode: "007" is a code, not a number. */
  quoted: boolean;
}

interface Row {
  cells: Cell[];
  /** 1-based line the row starts on. */
  line: number;
}

function splitRows(text: string, file: string): Row[] {
  const rows: Row[] = [];
  let row: Cell[] = [];
  let cell = '';
  let quoted = false;
  let wasQuoted = false;
  let line = 1;
  let rowLine = 1;
  let quoteLine = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n' || (ch === '\r' && text[i + 1] !== '\n')) line++;
        cell += ch;
      }
    } else if (ch === '"' && cell === '') {
      quoted = true;
      wasQuoted = true;
      quoteLine = line;
    } else if (ch === ',') {
      row.push({ text: cell, quoted: wasQuoted });
      cell = '';
      wasQuoted = false;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push({ text: cell, quoted: wasQuoted });
      if (row.length > 1 || row[0]!.text !== '' || row[0]!.quoted) rows.push({ cells: row, line: rowLine });
      row = [];
      cell = '';
      wasQuoted = false;
      line++;
      rowLine = line;
    } else cell += ch;
  }
  if (quoted) throw new RuleError('unterminated quoted field (the quote opens here)', { file, line: quoteLine });
  row.push({ text: cell, quoted: wasQuoted });
  if (row.length > 1 || row[0]!.text !== '' || row[0]!.quoted) rows.push({ cells: row, line: rowLine });
  return rows;
}
