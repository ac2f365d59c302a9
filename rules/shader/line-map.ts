/**
 * A compact line map for text outputs (GLSL/WGSL source), so a driver's compile error at run time
 * can be mapped back to the file the user edited: runs of consecutive lines from one file.
 */
import type { SourceLine } from './flatten-source.js';

export interface LineMap {
  [key: string]: string[] | number[][];
  files: string[];
  /** `[firstOutputLine, fileIndex, firstSourceLine, count]`, 1-based; inserted lines have source line 0. */
  runs: number[][];
}

export function buildLineMap(lines: readonly SourceLine[]): LineMap {
  const files: string[] = [];
  const runs: number[][] = [];
  lines.forEach((l, i) => {
    let fileIndex = files.indexOf(l.file);
    if (fileIndex < 0) fileIndex = files.push(l.file) - 1;
    const last = runs.at(-1);
    if (last && last[1] === fileIndex && l.line !== 0 && last[2] !== 0 && last[2]! + last[3]! === l.line) last[3]!++;
    else runs.push([i + 1, fileIndex, l.line, 1]);
  });
  return { files, runs };
}
