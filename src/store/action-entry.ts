import type { Diagnostic } from '../rule/context.js';
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

export function isActionEntry(value: unknown): value is ActionEntry {
  if (value === null || typeof value !== 'object') return false;
  const entry = value as { kind?: unknown; discovered?: unknown; outputs?: unknown };
  if (entry.kind === 'manifest') return Array.isArray(entry.discovered);
  if (entry.kind === 'result') return Array.isArray(entry.outputs);
  return false;
}
