/**
 * One `kiln watch //...` session on a generated workspace, shared by the watch-at-scale benchmark
 * and the watch profiler: the session, the rebuild loop's build timings, and one timed save
 * (write an asset → the `changed` message for its target).
 *
 * The cache is the one `kiln watch` opens (entries and small blobs in the LMDB store) unless
 * KILN_WATCH_SCALE_CACHE=files asks for plain files per blob and entry (wave 1's stores), so the
 * figures are what a user's session does.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtinRules } from '../rules/index.js';
import { Builder } from '../src/engine/builder.js';
import type { ServerMessage } from '../src/format/hot-reload-protocol.js';
import { createRegistry } from '../src/rule/registry.js';
import type { CacheStack } from '../src/store/cache-stack.js';
import { createCacheStack } from '../src/store/create-cache-stack.js';
import { DiskActionCache } from '../src/store/disk-action-cache.js';
import { DiskBlobStore } from '../src/store/disk-blob-store.js';
import { startWatch, type WatchSession } from '../src/watch/watch-session.js';
import { Workspace } from '../src/workspace/workspace.js';
import { assetContent, PACKAGES_DIR } from './generate-workspace.js';

export const FILE_CACHE = process.env.KILN_WATCH_SCALE_CACHE === 'files';
export const CACHE_NOTE = FILE_CACHE
  ? 'Cache: plain files per blob and entry (KILN_WATCH_SCALE_CACHE=files).'
  : 'Cache: the one `kiln watch` opens (LMDB store for entries and small blobs).';

const now = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function cacheOf(cacheDir: string): CacheStack {
  if (!FILE_CACHE) return createCacheStack({ localRoot: cacheDir });
  return { blobs: new DiskBlobStore(join(cacheDir, 'cas')), actions: new DiskActionCache(join(cacheDir, 'ac')) };
}

/** assets/p012/a00042.bin → //p012:a00042 */
function labelOf(assetPath: string): string {
  const [pkg, file] = assetPath.slice(PACKAGES_DIR.length + 1).split('/');
  return `//${pkg}:${file!.replace(/\.bin$/, '')}`;
}

export interface ScaleWatch {
  session: WatchSession;
  /** Wall time of the first build, ms. */
  initialMs: number;
  /** The loop's own timings of every build so far (the first build included). */
  builds: { buildMs: number; queueMs: number }[];
  /**
   * Rewrite one asset with new bytes and wait for its `changed` message; resolves to the time
   * from write() to that message and the loop's build time of that rebuild, once it is idle.
   */
  save(assetPath: string, index: number, revision: number): Promise<{ changedMs: number; buildMs?: number }>;
  close(): Promise<void>;
}

export async function openScaleWatch(root: string): Promise<ScaleWatch> {
  const workspace = Workspace.at(root, createRegistry(builtinRules()));
  const cache = cacheOf(workspace.config.cacheDir);
  const builder = new Builder({ workspace, cache });
  const waiting = new Map<string, (at: number) => void>();
  const builds: ScaleWatch['builds'] = [];
  const started = now();
  const session = await startWatch({
    builder,
    patterns: ['//...'],
    onMessage: (message: ServerMessage) => {
      if (message.type === 'changed') waiting.get(message.label)?.(now());
      if (message.type === 'build-finished') builds.push({ buildMs: message.timings.buildMs, queueMs: message.timings.queueMs });
    },
  });
  const initialMs = now() - started;
  return {
    session,
    initialMs,
    builds,
    async save(assetPath, index, revision) {
      await session.loop.idle();
      await sleep(50);
      const label = labelOf(assetPath);
      const seen = new Promise<number>((resolve) => waiting.set(label, resolve));
      const before = builds.length;
      const savedAt = now();
      writeFileSync(join(root, assetPath), assetContent(index, 256, revision));
      const at = await Promise.race([seen, sleep(60_000).then(() => NaN)]);
      waiting.delete(label);
      if (Number.isNaN(at)) throw new Error(`no changed message for ${label} within 60 s`);
      await session.loop.idle();
      return { changedMs: at - savedAt, buildMs: builds.length > before ? builds[builds.length - 1]!.buildMs : undefined };
    },
    async close() {
      await session.close();
      await builder.close();
      (cache as { close?: () => void }).close?.();
    },
  };
}
