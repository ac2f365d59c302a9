/**
 * Resolves `#include "x.glsl"` (GLSL) and `#import "x.wgsl"` (WGSL) by splicing the files in,
 * reading each through `ctx.readFile` so the engine records them as discovered inputs: editing an
 * included file re-cooks exactly the shaders that include it. Every line of the result remembers
 * the file and line it came from, so compiler errors point at the original source.
 */
import { posix } from 'node:path';
import { RuleError } from '../../src/rule/rule-error.js';

export interface SourceLine {
  text: string;
  /** Workspace-relative file the line came from. */
  file: string;
  /** 1-based line in that file; 0 for lines the rule inserted (defines). */
  line: number;
}

export interface FlattenOptions {
  /** `include` (GLSL: every include spliced, `#pragma once` honoured) or `import` (WGSL: each file once). */
  directive: 'include' | 'import';
  /** Workspace-relative folders searched after the including file's own folder. */
  searchDirs: readonly string[];
  readFile(path: string): Promise<Uint8Array | undefined>;
}

export interface Flattened {
  lines: SourceLine[];
  /** Every file that was spliced in, in first-use order (the root excluded). */
  included: string[];
}

const MAX_DEPTH = 32;
/**
 * Depth alone does not bound the work: 25 files each including the next twice is only 25 deep
 * but expands to 2^25 copies (5 GB before this cap). Real shaders flatten to well under 1 MB;
 * these caps stop a fan-out with an error at the include that crossed them.
 */
export const MAX_EXPANDED_CHARS = 16 * 1024 * 1024;
export const MAX_SPLICES = 10_000;

export async function flattenSource(root: string, text: string, options: FlattenOptions): Promise<Flattened> {
  const pattern = options.directive === 'include' ? /^\s*#\s*include\s+(?:"([^"]+)"|<([^>]+)>)\s*(?:\/\/.*)?$/ : /^\s*#\s*import\s+"([^"]+)"\s*(?:\/\/.*)?$/;
  const lines: SourceLine[] = [];
  const included: string[] = [];
  const pragmaOnce = new Set<string>();
  const imported = new Set<string>([root]);
  const cache = new Map<string, string | undefined>();
  let expandedChars = 0;
  let splices = 0;
  const push = (line: SourceLine) => {
    expandedChars += line.text.length + 1;
    if (expandedChars > MAX_EXPANDED_CHARS) {
      throw new RuleError(`${options.directive}s expand to more than ${MAX_EXPANDED_CHARS} characters (an include fan-out?)`, { file: line.file, line: line.line });
    }
    lines.push(line);
  };

  const read = async (path: string): Promise<string | undefined> => {
    if (!cache.has(path)) {
      const bytes = await options.readFile(path);
      cache.set(path, bytes && new TextDecoder().decode(bytes));
    }
    return cache.get(path);
  };

  const visit = async (file: string, source: string, stack: string[]): Promise<void> => {
    if (options.directive === 'include' && /^\s*#\s*pragma\s+once\b/m.test(source)) {
      if (pragmaOnce.has(file)) return;
      pragmaOnce.add(file);
    }
    const fileLines = source.split(/\r?\n/);
    for (let index = 0; index < fileLines.length; index++) {
      const text = fileLines[index]!;
      const where = { file, line: index + 1 };
      const match = pattern.exec(text);
      if (!match) {
        // The include extension is meaningless once includes are spliced, and unknown to GL drivers.
        const drop = /^\s*#\s*extension\s+GL_GOOGLE_include_directive\b/.test(text) || /^\s*#\s*pragma\s+once\b/.test(text);
        push({ text: drop ? '' : text, ...where });
        continue;
      }
      push({ text: '', ...where });
      const quoted = match[1];
      const target = await resolveTarget(file, quoted ?? match[2]!, quoted !== undefined, where);
      if (stack.includes(target)) {
        throw new RuleError(`${options.directive} cycle: ${[...stack, target].join(' → ')}`, where);
      }
      if (stack.length >= MAX_DEPTH) throw new RuleError(`${options.directive}s nested deeper than ${MAX_DEPTH}`, where);
      if (++splices > MAX_SPLICES) throw new RuleError(`more than ${MAX_SPLICES} ${options.directive}s spliced in (an include fan-out?)`, where);
      if (options.directive === 'import') {
        if (imported.has(target)) continue;
        imported.add(target);
      }
      if (!included.includes(target)) included.push(target);
      await visit(target, (await read(target))!, [...stack, target]);
    }
  };

  const resolveTarget = async (from: string, spec: string, relative: boolean, where: { file: string; line: number }) => {
    const candidates = [...(relative ? [posix.dirname(from)] : []), ...options.searchDirs].map((dir) => posix.normalize(posix.join(dir, spec)));
    for (const candidate of candidates) {
      if (candidate.startsWith('../') || posix.isAbsolute(candidate)) {
        throw new RuleError(`${options.directive} "${spec}" leaves the workspace`, where);
      }
      if ((await read(candidate)) !== undefined) return candidate;
    }
    throw new RuleError(`cannot ${options.directive} "${spec}": not found (looked in ${candidates.join(', ')})`, where);
  };

  await visit(root, text, [root]);
  return { lines, included };
}
