/**
 * The game side of `kiln watch` (the seed's HotReloadSystem + ReloadHandler): subscribes to the
 * server's `/ws`, fetches every output of each changed asset by digest (nothing for outputs that
 * did not change, only the changed streaming parts of an output whose layout is the same),
 * verifies them, swaps the whole new version into the attached
 * loaders' caches (pinned, so eviction can never bring back the stale bundle copy) and into
 * LiveAsset handles, then calls the handlers registered for the asset's type:
 *
 *   client.onReload('texture', ({ asset }) => gl.texImage2D(...))
 *
 * Only assets someone uses here are fetched: cached in an attached loader, held by a LiveAsset,
 * loaded through the client, or of a type with a handler. After a disconnect it reconnects with
 * exponential backoff; the server's `hello` snapshot then tells what changed meanwhile.
 */
import type { AssetLoader } from './asset-loader.js';
import { Emitter } from './emitter.js';
import { LiveAsset } from './hot-reload-live-asset.js';
import { HotReloadMetrics, type HotReloadMetricsSnapshot } from './hot-reload-metrics.js';
import {
  parseServerMessage,
  type AssetVersion,
  type BuildFinishedMessage,
  type BuildStartedMessage,
  type ChangedMessage,
  type ErrorMessage,
  type HelloMessage,
  type RecoveredMessage,
  type RemovedMessage,
  type ServerMessage,
} from '../format/hot-reload-protocol.js';
import { globalSocket, messageText, type SocketConstructor, type SocketLike } from './hot-reload-socket.js';
import type { LoadedAsset } from './loaded-asset.js';
import { categoryOf } from './memory-cache.js';
import { RuntimeError } from './runtime-error.js';
import { VersionFetcher } from './version-fetcher.js';
import { memoryBytes } from './asset-decoder.js';
import type { ReloadHandlerName } from '../format/reload-handler.js';
import { ReloadHandlers, type ReloadEvent, type ReloadHandler } from './hot-reload-handlers.js';

export type { ReloadEvent, ReloadHandler } from './hot-reload-handlers.js';

export interface HotReloadClientOptions {
  /** The watch server, e.g. `http://127.0.0.1:7357` (the WebSocket is `/ws` on it). */
  url: string;
  /** WebSocket constructor; default: the global one. In Node 20 pass `ws`'s `WebSocket`. */
  WebSocket?: SocketConstructor;
  fetch?: typeof fetch;
  /** Loaders whose memory caches receive new versions (a bundle reader's `loader`). */
  loaders?: AssetLoader[];
  /** Reconnect delays: first, cap, growth factor (default 100 ms, 3 s, 2). */
  backoff?: { initialMs?: number; maxMs?: number; factor?: number };
  /** Wall clock in epoch ms (latency is measured against the server's save stamps). */
  now?: () => number;
  /**
   * Bytes of received outputs kept so a label's next change fetches only its changed parts
   * (default 64 MiB); the labels changed least recently are dropped first and fetch whole.
   */
  maxHeldBytes?: number;
}

const DEFAULT_MAX_HELD_BYTES = 64 * 1024 * 1024;

export interface HotReloadEvents {
  connected: [hello: HelloMessage];
  disconnected: [];
  reload: [event: ReloadEvent];
  changed: [message: ChangedMessage];
  removed: [message: RemovedMessage];
  error: [message: ErrorMessage];
  recovered: [message: RecoveredMessage];
  'build-started': [message: BuildStartedMessage];
  'build-finished': [message: BuildFinishedMessage];
  /** A fetch, decode or handler failed; the previous version stays. */
  failure: [label: string, error: Error];
}

export class HotReloadClient extends Emitter<HotReloadEvents> {
  /** Every asset as the server last described it, by label. */
  readonly versions = new Map<string, AssetVersion>();
  /** Latest server-reported failures by label. */
  readonly errors = new Map<string, ErrorMessage>();
  private readonly ids = new Map<string, string>();
  private readonly decoded = new Map<string, { asset: LoadedAsset; digest: string }>();
  private readonly fetcher: VersionFetcher;
  private readonly lives = new Map<string, LiveAsset>();
  private readonly handlers = new ReloadHandlers();
  private readonly pinned = new Set<string>();
  /** Newest main digest announced per label (set on receipt, before queued work runs). */
  private readonly announced = new Map<string, string>();
  private readonly loaders: AssetLoader[];
  private readonly recorder: HotReloadMetrics;
  private readonly now: () => number;
  private readonly doFetch: typeof fetch;
  private readonly Socket: SocketConstructor;
  private socket: SocketLike | undefined;
  private queue: Promise<void> = Promise.resolve();
  private delay: number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  private greeted = false;
  private readyResolve!: () => void;
  /** Resolves at the first `hello` (the snapshot is in `versions`). */
  readonly ready: Promise<void>;

  constructor(private readonly options: HotReloadClientOptions) {
    super();
    const Socket = options.WebSocket ?? globalSocket();
    if (!Socket) throw new Error('no WebSocket: pass options.WebSocket (in Node 20: `import { WebSocket } from "ws"`)');
    this.Socket = Socket;
    this.doFetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.now = options.now ?? (() => Date.now());
    this.loaders = [...(options.loaders ?? [])];
    this.recorder = new HotReloadMetrics(this.now);
    this.fetcher = new VersionFetcher(options.url, this.doFetch, this.recorder, options.maxHeldBytes ?? DEFAULT_MAX_HELD_BYTES);
    this.delay = options.backoff?.initialMs ?? 100;
    this.ready = new Promise((resolve) => (this.readyResolve = resolve));
  }

  /** Opens the connection (and keeps it open until `close`). */
  connect(): Promise<void> {
    this.open();
    return this.ready;
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.socket?.close();
    this.socket = undefined;
  }

  /**
   * Registers a reload handler (`'texture'`, `'data'`, …: which asset types go to which handler,
   * and what each is for, is `RELOAD_HANDLERS` in kiln/format); `'*'` gets every reload. Returns
   * an unsubscribe function.
   */
  onReload(handlerName: ReloadHandlerName | '*', handler: ReloadHandler): () => void {
    return this.handlers.add(handlerName, handler);
  }

  /** Also swap new versions into this loader's cache. */
  attach(loader: AssetLoader): void {
    if (!this.loaders.includes(loader)) this.loaders.push(loader);
  }

  /** A handle whose `current` follows every reload of the asset (loaded now if needed). */
  async live(labelOrId: string): Promise<LiveAsset> {
    const label = this.labelOf(labelOrId);
    let live = this.lives.get(label);
    if (!live) {
      live = new LiveAsset(label);
      this.lives.set(label, live);
    }
    if (!live.current) {
      const asset = await this.load(label);
      if (!live.current) live.swap(asset, this.decoded.get(label)!.digest);
    }
    return live;
  }

  /** The current version of an asset, fetched from the server by digest and decoded. */
  async load(labelOrId: string): Promise<LoadedAsset> {
    const version = this.versions.get(this.labelOf(labelOrId));
    if (!version) throw new RuntimeError('not-found', `the watch server does not know ${labelOrId}`);
    const main = version.outputs[0]!;
    const held = this.decoded.get(version.label);
    if (held?.digest === main.digest) return held.asset;
    const asset = await this.fetcher.fetch(version);
    this.decoded.set(version.label, { asset, digest: main.digest });
    return asset;
  }

  /** Verified bytes of a blob (whole, or one byte range checked against a part hash). */
  blob(digest: string, range?: { offset: number; size: number; hash: string }): Promise<Uint8Array> {
    return this.fetcher.blob(digest, range);
  }

  metrics(): HotReloadMetricsSnapshot {
    return { ...this.recorder.snapshot(), heldBytes: this.fetcher.heldBytes };
  }

  /** Resolves when every message received so far has been applied. */
  settled(): Promise<void> {
    return this.queue;
  }

  private labelOf(labelOrId: string): string {
    return this.ids.get(labelOrId) ?? labelOrId;
  }

  private open(): void {
    if (this.closed || this.socket) return;
    const socket = new this.Socket(`${this.options.url.replace(/^http/, 'ws')}/ws`);
    this.socket = socket;
    socket.onmessage = (event) => {
      let message: ServerMessage | undefined;
      try {
        message = parseServerMessage(messageText(event.data) ?? '');
      } catch (error) {
        // a malformed version is never applied; the game hears why (the last good asset stays)
        this.emit('failure', '', error as Error);
        return;
      }
      if (!message) return;
      if (message.type === 'changed') this.announced.set(message.label, message.digest);
      this.enqueue(() => this.handle(message));
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      if (this.greeted) this.emit('disconnected');
      this.greeted = false;
      if (this.closed) return;
      this.timer = setTimeout(() => {
        this.recorder.reconnects++;
        this.open();
      }, this.delay);
      this.delay = Math.min(this.options.backoff?.maxMs ?? 3000, this.delay * (this.options.backoff?.factor ?? 2));
    };
    // Errors are followed by close, which schedules the retry.
    socket.onerror = () => undefined;
  }

  /** Messages are applied one at a time, in order. */
  private enqueue(work: () => Promise<void>): void {
    this.queue = this.queue.then(work).catch((error: Error) => this.emit('failure', '', error));
  }

  private async handle(message: NonNullable<ReturnType<typeof parseServerMessage>>): Promise<void> {
    switch (message.type) {
      case 'hello':
        return this.greet(message);
      case 'changed': {
        this.remember(message);
        this.emit('changed', message);
        return this.apply(message.label, message);
      }
      case 'removed':
        this.forget(message.label);
        this.emit('removed', message);
        this.lives.get(message.label)?.markRemoved(message.reason);
        return;
      case 'error':
        this.errors.set(message.label, message);
        this.emit('error', message);
        return;
      case 'recovered':
        this.errors.delete(message.label);
        this.emit('recovered', message);
        return;
      case 'build-started':
        this.emit('build-started', message);
        return;
      case 'build-finished':
        this.emit('build-finished', message);
        return;
    }
  }

  /** First hello: take the snapshot. Later ones (after a reconnect): catch up on what changed. */
  private async greet(hello: HelloMessage): Promise<void> {
    const known = new Map([...this.versions].map(([label, v]) => [label, v.outputs[0]?.digest]));
    const catchUp = this.greeted || known.size > 0;
    this.delay = this.options.backoff?.initialMs ?? 100;
    this.versions.clear();
    this.errors.clear();
    for (const version of hello.assets) this.remember(version);
    for (const error of hello.errors) this.errors.set(error.label, error);
    this.greeted = true;
    this.emit('connected', hello);
    this.readyResolve();
    if (!catchUp) return;
    for (const [label, digest] of known) {
      if (!this.versions.has(label)) {
        this.forget(label);
        this.lives.get(label)?.markRemoved('gone while disconnected');
      }
      else if (this.versions.get(label)!.outputs[0]?.digest !== digest) await this.apply(label, undefined);
    }
  }

  private remember(version: AssetVersion): void {
    const { label, assetId, assetType, priority, rule, outputs } = version;
    this.versions.set(label, { label, assetId, assetType, priority, rule, outputs });
    this.ids.set(assetId, label);
  }

  private forget(label: string): void {
    const version = this.versions.get(label);
    this.versions.delete(label);
    this.decoded.delete(label);
    this.fetcher.forget(label);
    if (version) this.ids.delete(version.assetId);
  }

  private wanted(version: AssetVersion): boolean {
    return (
      this.decoded.has(version.label) ||
      this.lives.has(version.label) ||
      this.handlers.for(version.assetType).length > 0 ||
      this.loaders.some((loader) => loader.cache.has(version.assetId))
    );
  }

  /** Fetches, decodes and swaps in the server's current version of `label`. */
  private async apply(label: string, change: ChangedMessage | undefined): Promise<void> {
    const version = this.versions.get(label);
    // A newer change for the same asset is queued behind this one: skip straight to it.
    if (!version || (change && this.announced.get(label) !== change.digest)) return;
    const main = version.outputs[0];
    if (!main) return;
    if (!this.wanted(version)) {
      this.recorder.ignored++;
      return;
    }
    try {
      const held = this.decoded.get(label);
      const previous = held?.asset ?? this.fromLoaders(version.assetId);
      const asset = await this.fetcher.fetch(version);
      this.decoded.set(label, { asset, digest: main.digest });
      for (const loader of this.loaders) {
        if (!this.pinned.has(version.assetId)) loader.cache.pin(version.assetId);
        loader.cache.put(version.assetId, categoryOf(asset.type), memoryBytes(asset), asset.type === 'texture' ? asset.gpuBytes : 0, asset);
      }
      this.pinned.add(version.assetId);
      this.lives.get(label)?.swap(asset, main.digest);
      const event: ReloadEvent = { label, assetId: version.assetId, assetType: version.assetType, asset, previous, version, digest: main.digest, ...(change ? { change } : {}) };
      for (const handler of this.handlers.for(version.assetType)) await handler(event);
      // Latency ends when the game's handlers are done with the new version.
      if (change) this.recorder.reloaded(this.now() - change.savedAt);
      this.emit('reload', event);
    } catch (error) {
      this.recorder.failures++;
      this.emit('failure', label, error as Error);
    }
  }

  private fromLoaders(assetId: string): LoadedAsset | undefined {
    for (const loader of this.loaders) {
      const asset = loader.cache.get(assetId);
      if (asset) return asset;
    }
    return undefined;
  }
}
