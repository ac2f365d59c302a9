import { readFileSync } from 'node:fs';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { LocatedError, type SourcePosition } from './located-error.js';

/** yaml's resource-exhaustion guard: how many alias expansions one document may make. */
const MAX_ALIAS_COUNT = 1000;

/**
 * The largest assets.yaml kiln parses: 12 Mi characters, ~300k one-line targets. A document
 * parsed with positions costs ~150 bytes of heap per character (measured: 91k targets, 3.7 MB →
 * 543 MB), so this stays under ~1.8 GB, below V8's default heap limit (~4 GB here, 2 GB on small
 * machines is still survivable for the parse alone). An 895k-target file (36 MB) would need
 * ~5 GB and abort V8; refusing it is a clear error naming the file instead. Split big packages.
 */
export const MAX_YAML_CHARS = 12 * 1024 * 1024;

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
      const text = this.text();
      if (text.length > MAX_YAML_CHARS) {
        throw new LocatedError(`YAML too large: ${text.length} characters, at most ${MAX_YAML_CHARS} per assets.yaml (split the package)`, { file: this.file });
      }
      // uniqueKeys: false — yaml's own check compares every key with every other (91k targets:
      // 51 s); `firstDuplicateKey` does the same job with a Set per mapping.
      const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: false });
      const first = doc.errors[0];
      if (first) {
        const pos = first.linePos?.[0];
        const message = first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
        throw new LocatedError(`invalid YAML: ${message}`, { file: this.file, line: pos?.line, column: pos?.col });
      }
      const duplicate = firstDuplicateKey(doc);
      if (duplicate) {
        const pos = lines.linePos(duplicate.offset);
        throw new LocatedError(`invalid YAML: Map keys must be unique ("${duplicate.key}" appears twice)`, { file: this.file, line: pos.line, column: pos.col });
      }
      this.parsed = { doc, lines };
    }
    return this.parsed;
  }

  toJS(): unknown {
    // The cached value is shared, not copied: nothing downstream mutates declarations.
    if (this.value.known) return this.value.value;
    try {
      return this.document().doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      if (error instanceof LocatedError) throw error;
      // yaml throws a bare ReferenceError for a "billion laughs" alias bomb; make it this file's error.
      throw new LocatedError(`YAML too complex: ${(error as Error).message} (anchors may expand at most ${MAX_ALIAS_COUNT} aliases)`, { file: this.file });
    }
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

/**
 * The first key that repeats within one mapping, in document order: one Set per mapping, an
 * explicit stack instead of recursion (nesting depth comes from the file).
 */
function firstDuplicateKey(doc: Document.Parsed): { key: string; offset: number } | undefined {
  const stack: unknown[] = [doc.contents];
  let found: { key: string; offset: number } | undefined;
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const item of node.items) {
        if (!isPair(item)) continue;
        const key = item.key;
        if (isScalar(key)) {
          const name = `${typeof key.value}:${String(key.value)}`;
          if (seen.has(name)) {
            const offset = key.range?.[0] ?? 0;
            if (!found || offset < found.offset) found = { key: String(key.value), offset };
          }
          seen.add(name);
        }
        stack.push(item.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(item);
    }
  }
  return found;
}

function readText(absPath: string, displayPath: string): string {
  try {
    return readFileSync(absPath, 'utf8');
  } catch (error) {
    throw new LocatedError(`cannot read: ${(error as Error).message}`, { file: displayPath });
  }
}
