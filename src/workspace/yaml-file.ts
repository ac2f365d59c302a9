import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { LocatedError, type SourcePosition } from './located-error.js';

interface Parsed {
  doc: Document.Parsed;
  lines: LineCounter;
}

/**
 * A YAML file that can point back to where any value came from. Parsing with positions is the
 * expensive part of loading a big workspace, so a file whose value is already known (the engine
 * keeps each assets.yaml's parsed value in its request graph) is only parsed again if an error
 * needs a position.
 */
export class YamlFile {
  private parsed: Parsed | undefined;

  private constructor(
    /** Workspace-relative path, used in every message. */
    readonly file: string,
    private readonly text: () => string,
    private readonly value: { known: true; value: unknown } | { known: false },
  ) {}

  static read(absPath: string, displayPath: string): YamlFile {
    return YamlFile.parse(readText(absPath, displayPath), displayPath);
  }

  /** A file whose parsed value is known: the text is read and parsed only for positions. */
  static withValue(absPath: string, displayPath: string, value: unknown): YamlFile {
    return new YamlFile(displayPath, () => readText(absPath, displayPath), { known: true, value });
  }

  static parse(text: string, displayPath: string): YamlFile {
    const file = new YamlFile(displayPath, () => text, { known: false });
    file.document();
    return file;
  }

  private document(): Parsed {
    if (!this.parsed) {
      const lines = new LineCounter();
      const doc = parseDocument(this.text(), { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
      const first = doc.errors[0];
      if (first) {
        const pos = first.linePos?.[0];
        const message = first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
        throw new LocatedError(`invalid YAML: ${message}`, { file: this.file, line: pos?.line, column: pos?.col });
      }
      this.parsed = { doc, lines };
    }
    return this.parsed;
  }

  toJS(): unknown {
    // The cached value is shared, not copied: nothing downstream mutates declarations.
    if (this.value.known) return this.value.value;
    return this.document().doc.toJS({ maxAliasCount: 1000 });
  }

  /** Position of the value at `path` (or of its key when `key` is true), falling back to its parent. */
  positionOf(path: readonly (string | number)[], key = false): SourcePosition {
    let parsed: Parsed;
    try {
      parsed = this.document();
    } catch {
      return { file: this.file };
    }
    let node: unknown = parsed.doc.contents;
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
    const pos = parsed.lines.linePos(offset);
    return { file: this.file, line: pos.line, column: pos.col };
  }
}

function readText(absPath: string, displayPath: string): string {
  try {
    return readFileSync(absPath, 'utf8');
  } catch (error) {
    throw new LocatedError(`cannot read: ${(error as Error).message}`, { file: displayPath });
  }
}
