import { type Digest, isDigest } from '../hash/digest.js';
import type { Diagnostic, SourceLocation } from '../diagnostic/diagnostic.js';
import type { AssetMeta } from '../format/asset-meta.js';
import { FormatError } from '../format/format-error.js';
import { readPart, type Part } from '../format/part.js';
import type { OutputRecord } from '../rule/output.js';

/**
 * What the action cache holds under a key. Lookups are two-level (ccache's "manifest" mode):
 * the first key covers everything known before the rule runs and leads to a `manifest` naming
 * the files the rule discovered last time; hashing those gives the second key, which leads to
 * the `result`. This works on a fresh machine against a remote cache too.
 */
export type ActionEntry = ManifestEntry | ResultEntry;

export interface ManifestEntry {
  kind: 'manifest';
  /** Workspace-relative paths the rule read through `ctx.readFile`, sorted. */
  discovered: string[];
}

export interface ResultEntry {
  kind: 'result';
  outputs: OutputRecord[];
  diagnostics: Diagnostic[];
  stats: Record<string, number | string | boolean>;
  /** How long the cook took when it ran (for "saved" figures; never part of an output). */
  durationMs: number;
}

/**
 * Entries are written by other machines (a remote cache) or sit on a disk anyone can edit, so
 * nothing about them is trusted: these caps bound what one entry may make kiln allocate, write
 * or read. An entry over a cap is simply invalid (a miss), it never errors a build.
 */
export const ENTRY_LIMITS = {
  /** Bytes of the serialized entry; real entries are a few KiB (a 2,000-part texture ≈ 200 KiB). */
  maxBytes: 4 << 20,
  maxOutputs: 10_000,
  maxDiscovered: 100_000,
  maxDiagnostics: 10_000,
  maxStats: 10_000,
  /** Characters of a path (output name or discovered input); Linux PATH_MAX. */
  maxPathLength: 4096,
  /** Parts of one output (mips, LODs, audio chunks); a 2,000-part texture is the largest seen. */
  maxParts: 100_000,
  /** Nesting of an output's `meta` (JSON) object. */
  maxMetaDepth: 32,
} as const;

/**
 * The one strict reader of action entries, for every tier (disk, remote, the engine's embedded
 * store). Returns `undefined` for anything that is not exactly an entry kiln writes: output names
 * and discovered paths must be relative, normalized `/`-paths (no `..`, `.`, empty segment,
 * leading `/`, backslash, drive letter or NUL), digests well-formed (the digest module's own
 * parser decides), numbers finite. The caller turns `undefined` into a miss plus one warning.
 */
export function parseActionEntry(input: Uint8Array | string | unknown): ActionEntry | undefined {
  let value: unknown = input;
  if (typeof input === 'string' || input instanceof Uint8Array) {
    if (input.length > ENTRY_LIMITS.maxBytes) return undefined;
    const text = typeof input === 'string' ? input : new TextDecoder('utf-8', { fatal: false }).decode(input);
    try {
      value = JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  }
  if (!isRecord(value)) return undefined;
  if (value.kind === 'manifest') return parseManifest(value);
  if (value.kind === 'result') return parseResult(value);
  return undefined;
}

/** Kept for callers that only need a yes/no; same rules as `parseActionEntry`. */
export function isActionEntry(value: unknown): value is ActionEntry {
  return parseActionEntry(value) !== undefined;
}

/**
 * A workspace- or folder-relative path that cannot leave the folder it is joined to on any OS.
 * Exported for the other readers of paths from outside (build state, materialize).
 */
export function isContainedRelativePath(path: unknown): path is string {
  if (typeof path !== 'string' || path.length === 0 || path.length > ENTRY_LIMITS.maxPathLength) return false;
  if (path.includes('\0') || path.includes('\\') || path.startsWith('/') || /^[A-Za-z]:/.test(path)) return false;
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

function parseManifest(value: Record<string, unknown>): ManifestEntry | undefined {
  const discovered = value.discovered;
  if (!Array.isArray(discovered) || discovered.length > ENTRY_LIMITS.maxDiscovered) return undefined;
  if (!discovered.every(isContainedRelativePath)) return undefined;
  return { kind: 'manifest', discovered: [...discovered] };
}

function parseResult(value: Record<string, unknown>): ResultEntry | undefined {
  const { outputs, diagnostics, stats, durationMs } = value;
  if (!Array.isArray(outputs) || outputs.length > ENTRY_LIMITS.maxOutputs) return undefined;
  const parsedOutputs: OutputRecord[] = [];
  for (const output of outputs) {
    const parsed = parseOutput(output);
    if (!parsed) return undefined;
    parsedOutputs.push(parsed);
  }
  const parsedDiagnostics = parseDiagnostics(diagnostics ?? []);
  const parsedStats = parseStats(stats ?? {});
  if (!parsedDiagnostics || !parsedStats) return undefined;
  const duration = durationMs ?? 0;
  if (typeof duration !== 'number' || !Number.isFinite(duration) || duration < 0) return undefined;
  return { kind: 'result', outputs: parsedOutputs, diagnostics: parsedDiagnostics, stats: parsedStats, durationMs: duration };
}

function parseOutput(value: unknown): OutputRecord | undefined {
  if (!isRecord(value) || !isContainedRelativePath(value.name)) return undefined;
  const digest = parseDigest(value.digest);
  if (!digest) return undefined;
  const meta = value.meta ?? {};
  // Typed per asset type, but the entry does not say which type: the bundle index and the watch
  // protocol check the fields; here it must be bounded JSON without the parts (they live apart).
  if (!isRecord(meta) || !isJsonValue(meta, 0) || Object.hasOwn(meta, 'parts')) return undefined;
  const parts = parseParts(value.parts, digest.size);
  if (!parts) return undefined;
  return { name: value.name, digest, meta: meta as AssetMeta, parts };
}

/** Every part of an output: well-formed (kind, index, SHA-256) and inside the output's bytes. */
function parseParts(value: unknown, outputSize: number): Part[] | undefined {
  if (!Array.isArray(value) || value.length > ENTRY_LIMITS.maxParts) return undefined;
  try {
    return value.map((part, i) => readPart(part, `parts[${i}]`, outputSize));
  } catch (error) {
    if (error instanceof FormatError) return undefined;
    throw error;
  }
}

/** Well-formedness is the digest module's call (`isDigest`), so the hash switch lands here too. */
export function parseDigest(value: unknown): Digest | undefined {
  if (!isDigest(value)) return undefined;
  return { hash: value.hash, size: value.size };
}

function parseDiagnostics(value: unknown): Diagnostic[] | undefined {
  if (!Array.isArray(value) || value.length > ENTRY_LIMITS.maxDiagnostics) return undefined;
  const out: Diagnostic[] = [];
  for (const item of value) {
    if (!isRecord(item) || (item.severity !== 'warning' && item.severity !== 'error' && item.severity !== 'info')) return undefined;
    if (typeof item.message !== 'string' || typeof item.code !== 'string' || !DIAGNOSTIC_CODE.test(item.code)) return undefined;
    // A code this build does not know still reads as a code: entries may come from newer kilns.
    const diagnostic: Diagnostic = { code: item.code as Diagnostic['code'], severity: item.severity, message: item.message };
    if (item.label !== undefined) {
      if (typeof item.label !== 'string') return undefined;
      diagnostic.label = item.label;
    }
    if (item.location !== undefined) {
      const location = parseLocation(item.location);
      if (!location) return undefined;
      diagnostic.location = location;
    }
    if (item.hints !== undefined) {
      if (!Array.isArray(item.hints) || !item.hints.every((h) => typeof h === 'string')) return undefined;
      diagnostic.hints = item.hints as string[];
    }
    out.push(diagnostic);
  }
  return out;
}

const DIAGNOSTIC_CODE = /^[a-z][a-z0-9-]{0,63}$/;

function parseLocation(value: unknown): SourceLocation | undefined {
  if (!isRecord(value) || typeof value.file !== 'string') return undefined;
  const location: SourceLocation = { file: value.file };
  for (const key of ['line', 'column'] as const) {
    const n = value[key];
    if (n === undefined) continue;
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) return undefined;
    location[key] = n;
  }
  return location;
}

function parseStats(value: unknown): Record<string, number | string | boolean> | undefined {
  if (!isRecord(value)) return undefined;
  const entries = Object.entries(value);
  if (entries.length > ENTRY_LIMITS.maxStats) return undefined;
  const out: Record<string, number | string | boolean> = {};
  for (const [key, stat] of entries) {
    if (typeof stat === 'number' ? !Number.isFinite(stat) : typeof stat !== 'string' && typeof stat !== 'boolean') return undefined;
    Object.defineProperty(out, key, { value: stat, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function isJsonValue(value: unknown, depth: number): boolean {
  if (depth > ENTRY_LIMITS.maxMetaDepth) return false;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((item) => isJsonValue(item, depth + 1));
  if (isRecord(value)) return Object.values(value).every((item) => isJsonValue(item, depth + 1));
  return false;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
