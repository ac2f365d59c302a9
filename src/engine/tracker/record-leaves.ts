import { fileSig, outHolds, sigHolds, type LeafSig } from './leaf-sig.js';
import { atRoot } from './at-root.js';
import { statLeaf } from './leaf-stat.js';

/**
 * The build record's leaf table: everything a no-op must stat, as compact text lines, so a
 * fresh process parses it in one split and checks it in one pass (a JSON array of arrays
 * validated element by element cost ~40% of a no-op at 100k assets). One line per leaf:
 *
 *   G<sig>\t<path>          a global leaf (assets.yaml, a folder; workspace-relative, '' = root)
 *   X<sig>\t<abs path>      a tool's package.json
 *   T<end>[!]               the next target: where its report ends in the reports section; `!`
 *                           when the report has diagnostics (printed even when cached)
 *   F<sig>\t<path>          a file the current target read (workspace-relative)
 *   O<size>:<mtimeMs>\t<p>  a kiln-out file of the current target (outDir-relative)
 *
 * Paths with a tab, newline or carriage return cannot be written (the build is then not
 * recorded). A table is outside data: every path must stay inside its folder; the check is one
 * scan of the whole text, then per path only when the text holds a `..` or a NUL at all.
 */

export interface LeafTarget {
  files: readonly (readonly [string, LeafSig])[];
  outs: readonly (readonly [string, number, number])[];
}

export interface LeafTableInput {
  global: readonly (readonly [string, LeafSig])[];
  tools: readonly (readonly [string, LeafSig])[];
  targets: readonly LeafTarget[];
}

/** Which recorded leaves changed since the record was written. */
export interface RecordCheck {
  /** A global leaf changed: the graph may differ, only the full path is correct. */
  structural: boolean;
  /** Indexes of targets whose read files changed. */
  inputs: Set<number>;
  /** Indexes of requested targets whose kiln-out files changed or vanished. */
  outs: Set<number>;
}

/** The check, and what the same pass learnt about the reports section (for the replay). */
export interface LeafScan {
  check: RecordCheck;
  /** Byte offset where each target's report ends in the reports section. */
  reportEnds: number[];
  /** Targets whose reports carry diagnostics. */
  noted: number[];
}

/** The table's text, or undefined when a path cannot be written as a line. */
export function encodeLeaves(input: LeafTableInput, reportEnds: readonly number[], noted: ReadonlySet<number>): string | undefined {
  const lines: string[] = [];
  for (const [path, sig] of input.global) lines.push(`G${sig}\t${path}`);
  for (const [path, sig] of input.tools) lines.push(`X${sig}\t${path}`);
  input.targets.forEach((target, index) => {
    lines.push(`T${reportEnds[index]}${noted.has(index) ? '!' : ''}`);
    for (const [path, sig] of target.files) lines.push(`F${sig}\t${path}`);
    for (const [path, size, mtimeMs] of target.outs) lines.push(`O${size}:${mtimeMs}\t${path}`);
  });
  const text = lines.join('\n');
  for (const line of lines) if (/[\t\n\r]/.test(line.slice(line.indexOf('\t') + 1))) return undefined;
  return text;
}

export interface DecodedLeaves extends LeafTableInput {
  targets: { files: [string, LeafSig][]; outs: [string, number, number][]; reportEnd: number; noted: boolean }[];
}

/** The whole table as values (the full path after a change needs them); undefined when malformed. */
export function decodeLeaves(text: string): DecodedLeaves | undefined {
  const strict = suspicious(text);
  const result: DecodedLeaves = { global: [], tools: [], targets: [] };
  const global = result.global as [string, LeafSig][];
  const tools = result.tools as [string, LeafSig][];
  let current: DecodedLeaves['targets'][number] | undefined;
  for (const line of text === '' ? [] : text.split('\n')) {
    const kind = line.charCodeAt(0);
    if (kind === T) {
      const end = targetEnd(line);
      if (end === undefined) return undefined;
      result.targets.push((current = { files: [], outs: [], reportEnd: end, noted: line.endsWith('!') }));
      continue;
    }
    const tab = line.indexOf('\t');
    if (tab < 0) return undefined;
    const sig = line.slice(1, tab);
    const path = line.slice(tab + 1);
    if (kind === X) {
      if (!isToolManifest(path)) return undefined;
      tools.push([path, sig]);
      continue;
    }
    if (!inside(path, strict)) return undefined;
    if (kind === G) global.push([path, sig]);
    else if (kind === F && current) current.files.push([path, sig]);
    else if (kind === O && current) {
      const colon = sig.indexOf(':');
      const size = Number(sig.slice(0, colon));
      const mtimeMs = Number(sig.slice(colon + 1));
      if (colon < 0 || !Number.isFinite(size) || !Number.isFinite(mtimeMs)) return undefined;
      current.outs.push([path, size, mtimeMs]);
    } else return undefined;
  }
  return result;
}

/**
 * Stat every leaf once, in table order: a changed global or tool leaf stops the scan (the full
 * path runs); a target listed in `replaced` (the record's newer entries for it) is checked against
 * those instead of its table lines. Undefined when the table is malformed or has another count.
 * The table is walked line by line in place (no split into 40,000 strings at 10k targets) and
 * each signature compared where it stands (leaf-sig.ts `sigHolds`): at 10k assets the scan's
 * own work was a third of its time beside the stats.
 */
export function scanLeaves(text: string, root: string, outDir: string, count: number, replaced: ReadonlyMap<number, LeafTarget>): LeafScan | undefined {
  // Stats relative to the root where the working folder can be moved there (at-root.ts).
  return atRoot(root, (prefix) => scanFrom(text, root, prefix, outDir.startsWith(`${root}/`) ? `${prefix}${outDir.slice(root.length + 1)}/` : `${outDir}/`, count, replaced));
}

/** The scan, with workspace paths behind `rootSlash` and kiln-out paths behind `outSlash`. */
function scanFrom(text: string, root: string, rootSlash: string, outSlash: string, count: number, replaced: ReadonlyMap<number, LeafTarget>): LeafScan | undefined {
  const strict = suspicious(text);
  const check: RecordCheck = { structural: false, inputs: new Set(), outs: new Set() };
  const scan: LeafScan = { check, reportEnds: [], noted: [] };
  // Paths are joined by hand: they are checked to be plain relative paths, and path.join's
  // normalisation is a third of a no-op's CPU at 10k targets.
  const rootItself = rootSlash === '' ? '.' : root;
  let target = -1;
  /** The current target is already known dirty (or replaced): its other lines need no stat. */
  let skipFiles = false;
  let skipOuts = false;
  // As a split would see it: a trailing newline is an empty last line, which is malformed.
  if (text.endsWith('\n')) return undefined;
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = start;
    start = end + 1;
    const kind = text.charCodeAt(line);
    if (kind === T) {
      const reportEnd = targetEnd(text.slice(line, end));
      if (reportEnd === undefined) return undefined;
      target++;
      scan.reportEnds.push(reportEnd);
      if (text.charCodeAt(end - 1) === BANG) scan.noted.push(target);
      const newer = replaced.get(target);
      skipFiles = skipOuts = newer !== undefined;
      if (newer) {
        if (!newer.files.every(([path, sig]) => sig !== 'racy' && fileSig(rootSlash + path, false) === sig)) check.inputs.add(target);
        if (!newer.outs.every(([path, size, mtimeMs]) => sameOut(outSlash + path, size, mtimeMs))) check.outs.add(target);
      }
      continue;
    }
    const tab = text.indexOf('\t', line);
    if (tab < 0 || tab > end) return undefined;
    if (kind === X) {
      const path = text.slice(tab + 1, end);
      if (!isToolManifest(path)) return undefined;
      if (!sigHolds(text, line + 1, tab, path, false)) return structural(check);
      continue;
    }
    if (text.charCodeAt(tab + 1) === SLASH || (strict && !inside(text.slice(tab + 1, end), true))) return undefined;
    if (kind === F) {
      if (target < 0) return undefined;
      if (skipFiles) continue;
      if (!sigHolds(text, line + 1, tab, rootSlash + text.slice(tab + 1, end), false)) {
        check.inputs.add(target);
        skipFiles = true;
      }
    } else if (kind === O) {
      if (target < 0) return undefined;
      if (skipOuts) continue;
      if (!outHolds(text, line + 1, tab, outSlash + text.slice(tab + 1, end))) {
        check.outs.add(target);
        skipOuts = true;
      }
    } else if (kind === G) {
      if (target >= 0) return undefined;
      const folder = text.startsWith('d:', line + 1);
      if (!sigHolds(text, line + 1, tab, tab + 1 === end ? rootItself : rootSlash + text.slice(tab + 1, end), folder)) return structural(check);
    } else return undefined;
  }
  return target + 1 === count ? scan : undefined;
}

function structural(check: RecordCheck): LeafScan {
  check.structural = true;
  return { check, reportEnds: [], noted: [] };
}

function sameOut(abs: string, size: number, mtimeMs: number): boolean {
  const stat = statLeaf(abs);
  return stat !== undefined && stat.kind === 'file' && stat.size === size && stat.mtimeMs === mtimeMs;
}

const G = 71;
const X = 88;
const T = 84;
const F = 70;
const O = 79;
const SLASH = 47;
const BANG = 33;

function targetEnd(line: string): number | undefined {
  const end = Number(line.endsWith('!') ? line.slice(1, -1) : line.slice(1));
  return Number.isSafeInteger(end) && end >= 0 ? end : undefined;
}

/** Whether a per-path containment check is needed at all: only text with `..` or NUL can escape. */
function suspicious(text: string): boolean {
  return text.includes('..') || text.includes('\0');
}

const DOT_DOT = /(^|\/)\.\.(\/|$)/;

/** A relative path that stays inside its folder (a record is outside data). */
export function inside(path: string, strict = true): boolean {
  if (path.charCodeAt(0) === SLASH) return false;
  return !strict || (!path.includes('\0') && !DOT_DOT.test(path));
}

function isToolManifest(path: string): boolean {
  return path.startsWith('/') && path.endsWith('/package.json') && !path.includes('\0') && !DOT_DOT.test(path);
}

/**
 * The kiln-out files of some targets as the table lists them, by a jump from target line to
 * target line (no split of the whole table). Undefined when the table is malformed.
 */
export function outsOfTargets(text: string, wanted: ReadonlySet<number>): Map<number, [string, number, number][]> | undefined {
  const found = new Map<number, [string, number, number][]>();
  if (wanted.size === 0) return found;
  const last = Math.max(...wanted);
  // A line starts with its kind, and no path holds a newline: "\nT" is always a target line.
  let at = text.startsWith('T') ? 0 : text.indexOf('\nT');
  if (at < 0) return undefined;
  if (at > 0) at++;
  for (let target = 0; ; target++) {
    const next = text.indexOf('\nT', at);
    if (wanted.has(target)) {
      const outs: [string, number, number][] = [];
      for (const line of text.slice(at, next < 0 ? text.length : next).split('\n').slice(1)) {
        if (line.charCodeAt(0) !== O) continue;
        const tab = line.indexOf('\t');
        const colon = line.indexOf(':');
        const path = line.slice(tab + 1);
        if (tab < 0 || colon < 0 || colon > tab || !inside(path)) return undefined;
        outs.push([path, Number(line.slice(1, colon)), Number(line.slice(colon + 1, tab))]);
      }
      found.set(target, outs);
    }
    if (target === last) return found;
    if (next < 0) return undefined;
    at = next + 1;
  }
}

/** The global leaves only (the table's first lines), undefined when malformed. */
export function globalLeaves(text: string): [string, LeafSig][] | undefined {
  const found: [string, LeafSig][] = [];
  for (let at = 0; at < text.length && text.charCodeAt(at) === G; ) {
    const end = text.indexOf('\n', at);
    const line = text.slice(at, end < 0 ? text.length : end);
    const tab = line.indexOf('\t');
    const path = line.slice(tab + 1);
    if (tab < 0 || !inside(path)) return undefined;
    found.push([path, line.slice(1, tab)]);
    if (end < 0) break;
    at = end + 1;
  }
  return found;
}
