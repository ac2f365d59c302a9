/**
 * YAML or JSON source files (materials, particle systems, data) parsed with positions, so a rule
 * can point its errors at `file:line:column` of the offending value instead of at the whole file.
 * JSON is valid YAML, so one parser serves both and both get positions.
 */
import { LineCounter, parseDocument } from 'yaml';
import type { Location } from './context.js';
import { RuleError } from './rule-error.js';

export type SourcePath = readonly (string | number)[];

export interface StructuredSource {
  /** The parsed value (plain objects, arrays and scalars). */
  readonly value: unknown;
  readonly file: string;
  /** Where the value at `path` starts; falls back to the nearest enclosing value that exists. */
  locate(path: SourcePath): Location;
}

/** Parse YAML/JSON bytes; syntax errors, bad UTF-8 and duplicate keys become a RuleError with a position. */
export function parseStructured(bytes: Uint8Array, file: string): StructuredSource {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new RuleError('not valid UTF-8 text', { file });
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const pos = first.linePos?.[0];
    throw new RuleError(`${first.code}: ${first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`, { file, line: pos?.line, column: pos?.col });
  }
  const value: unknown = doc.toJS({ maxAliasCount: 100 });
  return {
    value,
    file,
    locate(path) {
      for (let depth = path.length; depth >= 0; depth--) {
        const node: unknown = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
        const range = (node as { range?: [number, number, number] } | undefined)?.range;
        if (range) {
          const pos = lineCounter.linePos(range[0]);
          return { file, line: pos.line, column: pos.col };
        }
      }
      return { file };
    },
  };
}
