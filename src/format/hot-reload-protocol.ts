/**
 * The watch server's WebSocket protocol (`/ws`): JSON messages with a `type` field, server → client
 * only (the seed's hmrPayload). Shared by the server (`src/watch/`) and the browser-safe client:
 * the types, and the parser that checks every asset version a message carries (typed meta, parts)
 * before the client uses it. Blobs named here are fetched with `GET /cas/<digest>`.
 */
import { readAssetMeta, type AssetMeta } from './asset-meta.js';
import { ASSET_TYPES, LOAD_PRIORITIES, type AssetType, type LoadPriority } from './asset-type.js';
import { FormatError } from './format-error.js';
import { arrayOf, intOf, objectOf, oneOf, stringOf } from './json-reader.js';
import { PART_KINDS, readPart, type Part, type PartKind } from './part.js';

/** 2: parts are the one `Part`, meta is typed per asset type (checked on receipt). */
export const HOT_RELOAD_PROTOCOL = 2;

/** One output file of a target as it is now. */
export interface OutputVersion {
  /** Output name as the rule produced it (`hero.ktx2`). */
  name: string;
  /** Digest key `<sha256>-<size>`: `GET /cas/<digest>` returns the bytes. */
  digest: string;
  size: number;
  /** The rule's typed meta for this output. */
  meta: AssetMeta;
  /** Parts with the digests computed when the rule wrote the output (offsets inside the blob). */
  parts: Part[];
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
  /** Build end → messages sent (diffing versions; part digests come with the output records). */
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

/**
 * Parses one WebSocket text frame; undefined for anything that is not a known message (a newer
 * server's extra message types pass by). A known message whose asset versions (in `hello` and
 * `changed`) are malformed — wrong meta for the asset type, a part outside its output, a bad
 * digest — throws a FormatError naming the field, so the client can report it. Other message
 * fields are only shown to people, never used to address or allocate.
 */
export function parseServerMessage(text: string): ServerMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string' || !TYPES.has(type as ServerMessage['type'])) return undefined;
  if (type === 'hello') {
    const hello = value as HelloMessage;
    return { ...hello, assets: arrayOf(hello.assets, 'hello.assets').map((a, i) => readAssetVersion(a, `hello.assets[${i}]`)) };
  }
  if (type === 'changed') {
    const changed = value as ChangedMessage;
    const parts = arrayOf(changed.parts, 'changed.parts').map((p, i) => {
      const o = objectOf(p, `changed.parts[${i}]`);
      return { output: stringOf(o.output, `changed.parts[${i}].output`), kind: oneOf(o.kind, PART_KINDS, `changed.parts[${i}].kind`), index: intOf(o.index, `changed.parts[${i}].index`) };
    });
    return { ...changed, ...readAssetVersion(value, 'changed'), parts };
  }
  return value as ServerMessage;
}

const DIGEST_KEY = /^[0-9a-f]{64}-(0|[1-9][0-9]{0,15})$/;

/** One asset version from the server, checked field by field. */
export function readAssetVersion(value: unknown, where: string): AssetVersion {
  const o = objectOf(value, where);
  const assetType = oneOf(o.assetType, ASSET_TYPES, `${where}.assetType`);
  const outputs = arrayOf(o.outputs, `${where}.outputs`).map((x, i): OutputVersion => {
    const at = `${where}.outputs[${i}]`;
    const v = objectOf(x, at);
    const digest = stringOf(v.digest, `${at}.digest`, DIGEST_KEY);
    const size = intOf(v.size, `${at}.size`);
    if (digest !== `${digest.slice(0, 64)}-${size}`) throw new FormatError(`${at}: size ${size} does not match digest ${digest}`);
    return {
      name: stringOf(v.name, `${at}.name`),
      digest,
      size,
      meta: readAssetMeta(assetType, v.meta, `${at}.meta`),
      parts: arrayOf(v.parts, `${at}.parts`).map((p, j) => readPart(p, `${at}.parts[${j}]`, size)),
    };
  });
  return {
    label: stringOf(o.label, `${where}.label`),
    assetId: stringOf(o.assetId, `${where}.assetId`),
    assetType,
    priority: oneOf(o.priority, LOAD_PRIORITIES, `${where}.priority`),
    rule: stringOf(o.rule, `${where}.rule`),
    outputs,
  };
}
