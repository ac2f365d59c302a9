/**
 * The game page for the browser disk cache test and benchmark: an app server (the page and the
 * kiln runtime bundled for browsers by esbuild) on its own origin, so the page still opens when
 * the asset server (a CountingServer, the CDN) is stopped. The page exposes `kilnPlay` (start the
 * level: stream every texture, load the rest, report hashes, timings and metrics), `kilnLoadOne`,
 * `kilnCorrupt` (flip a byte of one stored record) and `kilnStoreBench` (IndexedDB vs Cache
 * Storage put/get/list timings) for playwright to call.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './repo-root.js';

/** The sample page's esbuild step, found from the source or the compiled copy alike. */
async function runtimeForBrowser(): Promise<string> {
  const serve = (await import(pathToFileURL(join(repoRoot(), 'sample-project/web/serve.mjs')).href)) as typeof import('../../../../sample-project/web/serve.mjs');
  return (await serve.buildRuntimeForBrowser()).code;
}

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const chromiumPath = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((p) => existsSync(p));

export interface PlayResult {
  ok: boolean;
  code?: string;
  message?: string;
  /** label → type:sha-256 of every byte the game got. */
  results: Record<string, string>;
  firstMipMs: number;
  allMs: number;
  metrics: {
    bytesRead: number;
    disk?: { hits: number; misses: number; bytesSaved: number; bytesStored: number; corruptDropped: number; writeFailures: number; writesSkipped: number; evictions: number; budget: number; usedBytes: number; persisted?: boolean };
  };
}

const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>kiln disk cache test</title>
<script type="module">
import * as kiln from '/kiln-runtime.js';

async function sha(parts) {
  const total = parts.reduce((n, p) => n + p.byteLength, 0);
  const all = new Uint8Array(total);
  let at = 0;
  for (const p of parts) { all.set(p, at); at += p.byteLength; }
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', all));
  return [...hash].map((b) => b.toString(16).padStart(2, '0')).join('');
}

async function fingerprint(asset) {
  if (asset.type === 'texture') return 'texture:' + (await sha(asset.mips.map((m) => (m ? m.bytes : new Uint8Array(0)))));
  if (asset.type === 'data') return 'data:' + (await sha([new TextEncoder().encode(JSON.stringify(asset.value))]));
  return asset.type + ':' + (await sha([new TextEncoder().encode(JSON.stringify(asset.meta))]));
}

function makeStore(kind) {
  return kind === 'cache-storage' ? kiln.cacheStorageStore() : kiln.indexedDbStore();
}

function loaderFor(kind, cacheOptions = {}) {
  const diskCache = kind === 'none' ? undefined : new kiln.DiskCache({ store: makeStore(kind), ...cacheOptions });
  return { diskCache, loader: kiln.createLoader({ diskCache }) };
}

window.kilnPlay = async (catalogUrl, kind = 'indexeddb', cacheOptions = {}) => {
  const started = performance.now();
  const { diskCache, loader } = loaderFor(kind, cacheOptions);
  try {
    const catalog = await kiln.openCatalog(kiln.httpSource(catalogUrl), { loader });
    let firstMipMs;
    const results = {};
    await Promise.all(catalog.assets().map(async (a) => {
      let asset;
      if (a.type === 'texture') {
        const handle = catalog.stream(a.label);
        handle.on('part', (_asset, part) => { if (part && part.kind === 'mip' && firstMipMs === undefined) firstMipMs = performance.now() - started; });
        asset = await handle.done;
      } else {
        asset = await catalog.load(a.label);
      }
      results[a.label] = await fingerprint(asset);
    }));
    const allMs = performance.now() - started;
    await diskCache?.flush();
    await diskCache?.close();
    return { ok: true, results, firstMipMs, allMs, metrics: catalog.metrics() };
  } catch (error) {
    return { ok: false, code: error.code, message: String(error.message ?? error), results: {}, firstMipMs: 0, allMs: 0, metrics: { bytesRead: 0 } };
  }
};

window.kilnLoadOne = async (catalogUrl, label) => {
  const { diskCache, loader } = loaderFor('indexeddb');
  try {
    const catalog = await kiln.openCatalog(kiln.httpSource(catalogUrl), { loader });
    const asset = await catalog.load(label);
    await diskCache.flush();
    await diskCache.close();
    return { ok: true, fingerprint: await fingerprint(asset) };
  } catch (error) {
    return { ok: false, code: error.code, message: String(error.message ?? error) };
  }
};

window.kilnCorrupt = async (size) => {
  const db = await new Promise((ok, fail) => { const r = indexedDB.open('kiln-disk-cache', 1); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); });
  const tx = db.transaction(['bytes'], 'readwrite');
  const bytes = tx.objectStore('bytes');
  const keys = await new Promise((ok) => { const r = bytes.getAllKeys(); r.onsuccess = () => ok(r.result); });
  const key = keys.find((k) => k.endsWith('-' + size));
  const value = await new Promise((ok) => { const r = bytes.get(key); r.onsuccess = () => ok(r.result); });
  value[100] ^= 0x5a;
  bytes.put(value, key);
  await new Promise((ok) => { tx.oncomplete = ok; });
  db.close();
  return key;
};

window.kilnStoreBench = async (kind, count, size) => {
  const store = kind === 'cache-storage' ? kiln.cacheStorageStore('kiln-bench') : kiln.indexedDbStore('kiln-bench');
  await store.clear();
  const records = Array.from({ length: count }, (_, i) => { const b = new Uint8Array(size); crypto.getRandomValues(b.subarray(0, Math.min(size, 65536))); b[0] = i; return b; });
  let t = performance.now();
  await Promise.all(records.map((b, i) => store.put('c-' + i.toString(16).padStart(16, '0') + '-' + size, b, Date.now())));
  const putMs = performance.now() - t;
  t = performance.now();
  const listed = await store.list();
  const listMs = performance.now() - t;
  t = performance.now();
  let got = 0;
  await Promise.all(records.map(async (_b, i) => { const back = await store.get('c-' + i.toString(16).padStart(16, '0') + '-' + size, size); got += back.byteLength; }));
  const getMs = performance.now() - t;
  await store.clear();
  await store.close?.();
  return { putMs, listMs, getMs, listed: listed.length, got };
};
window.kilnReady = true;
</script>`;

export interface AppServer {
  url: string;
  close(): Promise<void>;
}

export async function startAppServer(): Promise<AppServer> {
  const runtime = await runtimeForBrowser();
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/kiln-runtime.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(runtime);
    } else if (path === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(PAGE);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
