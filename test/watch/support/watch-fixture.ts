/** A watch session on a temp workspace plus a Node client, with message waiting helpers. */
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { WebSocket } from 'ws';
import { builtinRules } from '../../../rules/index.js';
import { Builder } from '../../../src/engine/builder.js';
import { createRegistry } from '../../../src/rule/registry.js';
import { HotReloadClient, type HotReloadClientOptions } from '../../../src/runtime/hot-reload-client.js';
import type { ServerMessage } from '../../../src/format/hot-reload-protocol.js';
import type { SocketConstructor } from '../../../src/runtime/hot-reload-socket.js';
import { DiskActionCache } from '../../../src/store/disk-action-cache.js';
import { DiskBlobStore } from '../../../src/store/disk-blob-store.js';
import { startWatch, type WatchOptions, type WatchSession } from '../../../src/watch/watch-session.js';
import { Workspace } from '../../../src/workspace/workspace.js';

export function openTestBuilder(root: string, cacheDir?: string): Builder {
  const workspace = Workspace.at(root, createRegistry(builtinRules()));
  const dir = cacheDir ?? workspace.config.cacheDir;
  return new Builder({ workspace, jobs: 2, cache: { blobs: new DiskBlobStore(join(dir, 'cas')), actions: new DiskActionCache(join(dir, 'ac')) } });
}

/** Every message the server broadcast, with a way to wait for the next matching one. */
export class MessageLog {
  readonly all: ServerMessage[] = [];
  private waiters: { match: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }[] = [];

  push(message: ServerMessage): void {
    this.all.push(message);
    this.waiters = this.waiters.filter((w) => {
      if (!w.match(message)) return true;
      w.resolve(message);
      return false;
    });
  }

  /** The next message (after `from`, an index into `all`) matching `match`. */
  next<T extends ServerMessage>(match: (m: ServerMessage) => m is T, from = this.all.length, timeoutMs = 20_000): Promise<T> {
    const seen = this.all.slice(from).find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching message within ${timeoutMs} ms; got: ${this.all.slice(from).map((m) => m.type + ('label' in m ? ` ${m.label}` : '')).join(', ')}`)), timeoutMs);
      this.waiters.push({ match, resolve: (m) => (clearTimeout(timer), resolve(m as T)) });
    });
  }

  since(from: number): ServerMessage[] {
    return this.all.slice(from);
  }
}

export const is =
  <K extends ServerMessage['type']>(type: K, label?: string) =>
  (m: ServerMessage): m is Extract<ServerMessage, { type: K }> =>
    m.type === type && (label === undefined || ('label' in m && m.label === label));

export async function startTestWatch(root: string, patterns: string[], extra: Partial<WatchOptions> = {}): Promise<{ session: WatchSession; log: MessageLog }> {
  const log = new MessageLog();
  const session = await startWatch({ builder: openTestBuilder(root), patterns, onMessage: (m) => log.push(m), log: (line) => { if (process.env.KILN_WATCH_DEBUG || !line.startsWith('build ')) console.log(line); }, ...extra });
  return { session, log };
}

export function nodeClient(url: string, options: Partial<HotReloadClientOptions> = {}): HotReloadClient {
  return new HotReloadClient({ url, WebSocket: WebSocket as unknown as SocketConstructor, ...options });
}

/** A solid-colour PNG with a marker pixel block, so edits change some mips and not others. */
export async function pngOf(size: number, rgb: [number, number, number], marker?: [number, number, number]): Promise<Buffer> {
  const raw = Buffer.alloc(size * size * 4);
  for (let i = 0; i < size * size; i++) raw.set([...rgb, 255], i * 4);
  if (marker) for (let y = 0; y < 2; y++) for (let x = 0; x < 2; x++) raw.set([...marker, 255], (y * size + x) * 4);
  return sharp(raw, { raw: { width: size, height: size, channels: 4 } }).png().toBuffer();
}

/** How editors with "safe write" save: write a temp file next to it, then rename over. */
export function atomicSave(path: string, content: string | Uint8Array): void {
  const temp = `${path}.tmp`;
  writeFileSync(temp, content);
  renameSync(temp, path);
}
