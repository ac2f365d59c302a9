import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { LocatedError, type SourcePosition } from './located-error.js';

/** A parsed YAML file that can point back to where any value came from. */
export class YamlFile {
  private constructor(
    /** Workspace-relative path, used in every message. */
    readonly file: string,
    readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
  ) {}

  static read(absPath: string, displayPath: string): YamlFile {
    let text: string;
    try {
      text = readFileSync(absPath, 'utf8');
    } catch (error) {
      throw new LocatedError(`cannot read: ${(error as Error).message}`, { file: displayPath });
    }
    return YamlFile.parse(text, displayPath);
  }

  static parse(text: string, displayPath: string): YamlFile {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
    const first = doc.errors[0];
    if (first) {
      const pos = first.linePos?.[0];
      const message = first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '') ?? first.message;
      throw new LocatedError(`invalid YAML: ${message}`, { file: displayPath, line: pos?.line, column: pos?.col });
    }
    return new YamlFile(displayPath, doc, lines);
  }

  toJS(): unknown {
    return this.doc.toJS({ maxAliasCount: 1000 });
  }

  /** Position of the value at `path` (or of its key when `key` is true), falling back to its parent. */
  positionOf(path: readonly (string | number)[], key = false): SourcePosition {
    let node: unknown = this.doc.contents;
    let best: Node | undefined = node as Node | undefined;
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
        if (!pair) break;
        if (key && segment === path[path.length - 1] && isScalar(pair.key)) {
          best = pair.key;
          break;
        }
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        node = node.items[segment];
      } else {
        break;
      }
      if (node && typeof node === 'object' && 'range' in node) best = node as Node;
    }
    const offset = best?.range?.[0];
    if (offset === undefined) return { file: this.file };
    const pos = this.lines.linePos(offset);
    return { file: this.file, line: pos.line, column: pos.col };
  }
}
