/**
 * Puts a variant's defines into GLSL source as `#define` lines right after `#version`, which must
 * stay first. Putting them in the text (rather than passing -D to the compiler) keeps the GLSL
 * source output self-contained for platforms that compile at run time.
 */
import type { SourceLine } from './flatten-source.js';

export type Defines = Readonly<Record<string, string>>;

export function injectDefines(lines: readonly SourceLine[], defines: Defines): SourceLine[] {
  const names = Object.keys(defines).sort();
  if (names.length === 0) return [...lines];
  const versionAt = lines.findIndex((l) => /^\s*#\s*version\b/.test(l.text));
  const at = versionAt + 1;
  const origin = lines[Math.max(0, versionAt)] ?? { file: '', line: 0 };
  const added = names.map((name) => ({ text: `#define ${name} ${defines[name]}`.trimEnd(), file: origin.file, line: 0 }));
  return [...lines.slice(0, at), ...added, ...lines.slice(at)];
}
