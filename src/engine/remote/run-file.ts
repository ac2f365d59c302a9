import { type Diagnostic } from '../../diagnostic/diagnostic.js';
import { digestOf, sameDigest } from '../../hash/digest.js';
import { parseActionEntry } from '../../store/action-entry.js';
import type { DiscoveredDigests } from '../key-inputs.js';
import type { ActionFailure } from '../runner/action-failure.js';
import type { ActionRun } from '../runner/run-action.js';

/** The one output file of a remote cook: what `runAction` returned on the worker. */
export const RUN_FILE = 'kiln-run.bin';
const MAGIC = Buffer.from('KILNRUN1', 'ascii');
const MAX_HEADER_BYTES = 16 << 20;
const UNREADABLE_FAILURE: Diagnostic = { code: 'rule-crashed', severity: 'error', message: 'the remote cook failed and its report was unreadable' };

interface Header {
  outputs: ActionRun['outputs'];
  sizes: number[];
  discovered: DiscoveredDigests;
  diagnostics: ActionRun['diagnostics'];
  stats: ActionRun['stats'];
  durationMs: number;
  failure?: ActionFailure;
}

/** `KILNRUN1`, a 4-byte header length, the header JSON, then every output's bytes in order. */
export function encodeRunFile(run: ActionRun): Uint8Array {
  const header: Header = {
    outputs: run.outputs,
    sizes: run.outputBytes.map((bytes) => bytes.byteLength),
    discovered: run.discovered,
    diagnostics: run.diagnostics,
    stats: run.stats,
    durationMs: run.durationMs,
    ...(run.failure ? { failure: run.failure } : {}),
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(json.byteLength);
  return Buffer.concat([MAGIC, length, json, ...run.outputBytes]);
}

/**
 * The worker's run, checked like anything from outside: sizes must add up, every output's bytes
 * must match its digest, and the records must pass the action-entry parser (which bounds them).
 * `undefined` for anything else.
 */
export function decodeRunFile(bytes: Uint8Array): ActionRun | undefined {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.byteLength < 12 || !buffer.subarray(0, 8).equals(MAGIC)) return undefined;
  const headerBytes = buffer.readUInt32BE(8);
  if (headerBytes > MAX_HEADER_BYTES || 12 + headerBytes > buffer.byteLength) return undefined;
  let header: Header;
  try {
    header = JSON.parse(buffer.subarray(12, 12 + headerBytes).toString('utf8')) as Header;
  } catch {
    return undefined;
  }
  const entry = parseActionEntry({ kind: 'result', outputs: header.outputs, diagnostics: header.diagnostics, stats: header.stats, durationMs: header.durationMs });
  if (!entry || entry.kind !== 'result') return undefined;
  if (!Array.isArray(header.sizes) || header.sizes.length !== entry.outputs.length) return undefined;
  if (!isDiscovered(header.discovered)) return undefined;
  let at = 12 + headerBytes;
  const outputBytes: Uint8Array[] = [];
  for (const [index, size] of header.sizes.entries()) {
    if (!Number.isSafeInteger(size) || size < 0 || at + size > buffer.byteLength) return undefined;
    const output = buffer.subarray(at, at + size);
    if (!sameDigest(digestOf(output), entry.outputs[index]!.digest)) return undefined;
    outputBytes.push(output);
    at += size;
  }
  if (at !== buffer.byteLength) return undefined;
  const run: ActionRun = {
    outputs: entry.outputs,
    outputBytes,
    discovered: header.discovered,
    stableReads: [],
    diagnostics: entry.diagnostics,
    stats: entry.stats,
    durationMs: entry.durationMs,
  };
  const failure = failureOf(header.failure);
  if (failure) run.failure = failure;
  return run;
}

function isDiscovered(value: unknown): value is DiscoveredDigests {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  return Object.values(value as Record<string, unknown>).every((digest) => typeof digest === 'string');
}

function failureOf(value: unknown): ActionFailure | undefined {
  if (value === undefined || value === null || typeof value !== 'object') return undefined;
  const { diagnostics, stack } = value as { diagnostics?: unknown; stack?: unknown };
  const parsed = parseActionEntry({ kind: 'result', outputs: [], diagnostics, stats: {}, durationMs: 0 });
  if (!parsed || parsed.kind !== 'result') return { diagnostics: [UNREADABLE_FAILURE] };
  return typeof stack === 'string' ? { diagnostics: parsed.diagnostics, stack } : { diagnostics: parsed.diagnostics };
}
