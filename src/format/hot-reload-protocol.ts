/**
 * The watch server's WebSocket protocol (`/ws`): JSON messages with a `type` field, server → client
 * only. Shared by the server (`src/watch/`) and the browser-safe client, so this file holds types
 * and a structural check, nothing else. Blobs named here are fetched with `GET /cas/<digest>`.
 */
import type { PartKind } from './index-format.js';
import type { AssetType, LoadPriority } from './asset-type.js';

export const HOT_RELOAD_PROTOCOL = 1;

/** One streaming part of an output (mip, LOD, chunk, header); offsets are inside the output blob. */
export interface PartVersion {
  kind: PartKind;
  index: number;
  offset: number;
  size: number;
  /** SHA-256 (hex) of exactly these bytes. */
  hash: string;
}

/** One output file of a target as it is now. */
export interface OutputVersion {
  /** Output name as the rule produced it (`hero.ktx2`). */
  name: string;
  /** Digest key `<sha256>-<size>`: `GET /cas/<digest>` returns the bytes. */
  digest: string;
  size: number;
  /** Facts the rule attached (width, format, …), without `parts`. */
  meta: Record<string, unknown>;
  parts: PartVersion[];
}

/** The current version of one asset (one target). */
export interface AssetVersion {
  label: string;
  /** Stable 16-hex id from the label: the key the runtime caches assets under. */
  assetId: string;
  assetType: AssetType;
  priority: LoadPriority;
  rule: string;
  /** Main output first (the one a bundle would hold). */
  outputs: OutputVersion[];
}

/** Sent once per connection: every asset as it is now, so a reconnecting client can catch up. */
export interface HelloMessage {
  type: 'hello';
  protocol: number;
  platform: string;
  patterns: string[];
  /** Builds finished so far. */
  build: number;
  assets: AssetVersion[];
  /** Targets failing right now (their last good version is still in `assets`). */
  errors: ErrorMessage[];
}

export interface BuildStartedMessage {
  type: 'build-started';
  build: number;
  /** Workspace-relative paths that changed (at most 100 listed). */
  files: string[];
  /** Epoch ms of the first file event of this batch (≈ the save). */
  savedAt: number;
}

export interface BuildTimings {
  /** First file event → build start (debounce + waiting for a running build). */
  queueMs: number;
  /** The builder's own duration (analysis, cache checks, cooks, materializing). */
  buildMs: number;
  /** Sum of cook times of the targets that ran. */
  cookMs: number;
  /** Build end → messages sent (part hashing, diffing). */
  notifyMs: number;
  /** First file event → build-finished. */
  totalMs: number;
}

export interface BuildFinishedMessage {
  type: 'build-finished';
  build: number;
  ok: boolean;
  executed: number;
  cached: number;
  failed: number;
  timings: BuildTimings;
}

/** A target has a new version. */
export interface ChangedMessage extends AssetVersion {
  type: 'changed';
  build: number;
  /** Digest key of the main output. */
  digest: string;
  /** Main output digest before this change (absent for a new target). */
  previous?: string;
  /** Parts whose bytes changed, per output name (all parts when the layout changed). */
  parts: { output: string; kind: PartKind; index: number }[];
  /** Epoch ms of the first file event of the batch that caused this. */
  savedAt: number;
  /** Cook time of this target in this build (0 when it came from the cache). */
  cookMs: number;
}

/** A target is gone (its source or declaration was deleted). */
export interface RemovedMessage {
  type: 'removed';
  build: number;
  label: string;
  assetId: string;
  reason: string;
  savedAt: number;
}

/** A target failed; its last good version stays current and served. */
export interface ErrorMessage {
  type: 'error';
  build: number;
  /** The failing target, or the pattern / file when the workspace itself could not be read. */
  label: string;
  file?: string;
  line?: number;
  column?: number;
  message: string;
  /** The diagnostic's stable code (`rule-error`, `yaml-syntax`, …): switch on this, never on text. */
  code?: string;
  hints?: string[];
}

/** A target that was failing builds again (sent even when its output equals the last good one). */
export interface RecoveredMessage {
  type: 'recovered';
  build: number;
  label: string;
  assetId: string;
}

export type ServerMessage =
  | HelloMessage
  | BuildStartedMessage
  | BuildFinishedMessage
  | ChangedMessage
  | RemovedMessage
  | ErrorMessage
  | RecoveredMessage;

const TYPES = new Set<ServerMessage['type']>(['hello', 'build-started', 'build-finished', 'changed', 'removed', 'error', 'recovered']);

/** Parses one WebSocket text frame; undefined for anything that is not a known message. */
export function parseServerMessage(text: string): ServerMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const type = (value as { type?: unknown }).type;
  return typeof type === 'string' && TYPES.has(type as ServerMessage['type']) ? (value as ServerMessage) : undefined;
}
