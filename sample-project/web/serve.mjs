#!/usr/bin/env node
/**
 * A tiny static server for the streaming demo: serves this page, the kiln runtime bundled for the
 * browser (esbuild, from the built `dist/src/runtime/index.js`, or the TypeScript source when
 * nothing is built), and cooked bundles from a kiln-out folder, with HTTP Range support so the
 * runtime fetches only the byte ranges it needs — as it would from any static host or CDN.
 *
 *   node sample-project/web/serve.mjs [--out kiln-out] [--port 8080]
 *   then open http://127.0.0.1:8080/?asset=//levels/forest:bark
 */
import { createReadStream } from 'node:fs';
import { access, readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.tar': 'application/x-tar',
  '.css': 'text/css',
};

/** Bundles the runtime for browsers (one ES module, no bare imports left). */
export async function buildRuntimeForBrowser() {
  const { build } = await import('esbuild');
  const built = join(repo, 'dist/src/runtime/index.js');
  const entry = (await access(built).then(() => true, () => false)) ? built : join(repo, 'src/runtime/index.ts');
  const result = await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, logLevel: 'silent' });
  return { code: result.outputFiles[0].text, entry };
}

/**
 * Starts the server. `out` is the kiln-out folder served under `/kiln-out/`.
 * Returns `{ url, close, requests }`; `requests` logs `{ path, range, status, bytes }`.
 */
export async function startServer({ out = join(process.cwd(), 'kiln-out'), port = 0, host = '127.0.0.1' } = {}) {
  const runtime = await buildRuntimeForBrowser();
  const requests = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const log = { path: url.pathname, range: req.headers.range ?? null, status: 200, bytes: 0 };
    requests.push(log);
    const send = (status, body, type = 'text/plain; charset=utf-8', headers = {}) => {
      log.status = status;
      log.bytes = Buffer.byteLength(body);
      res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...headers });
      res.end(body);
    };
    try {
      if (url.pathname === '/kiln-runtime.js') return send(200, runtime.code, TYPES['.js']);
      let file;
      if (url.pathname.startsWith('/kiln-out/')) file = safeJoin(out, decodeURIComponent(url.pathname.slice('/kiln-out/'.length)));
      else file = safeJoin(here, url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1)));
      if (!file) return send(403, 'forbidden');
      const info = await stat(file).catch(() => undefined);
      if (!info?.isFile()) return send(404, 'not found');
      const type = TYPES[extname(file)] ?? 'application/octet-stream';
      const range = parseRange(req.headers.range, info.size);
      if (range === 'invalid') {
        log.status = 416;
        res.writeHead(416, { 'Content-Range': `bytes */${info.size}`, 'Cache-Control': 'no-store' });
        return res.end();
      }
      const [start, end] = range ?? [0, info.size - 1];
      const length = info.size === 0 ? 0 : end - start + 1;
      log.status = range ? 206 : 200;
      log.bytes = length;
      res.writeHead(log.status, {
        'Content-Type': type,
        'Content-Length': length,
        'Accept-Ranges': 'bytes',
        'Cache-Control': 'no-store',
        ...(range ? { 'Content-Range': `bytes ${start}-${end}/${info.size}` } : {}),
      });
      if (req.method === 'HEAD' || length === 0) return res.end();
      createReadStream(file, { start, end }).pipe(res);
    } catch (error) {
      send(500, String(error));
    }
  });
  await new Promise((ok) => server.listen(port, host, ok));
  const address = server.address();
  return {
    url: `http://${host}:${address.port}`,
    requests,
    runtimeEntry: runtime.entry,
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}

function safeJoin(root, relative) {
  const full = normalize(join(root, relative));
  return full === root || full.startsWith(root.endsWith(sep) ? root : root + sep) ? full : undefined;
}

/** `bytes=a-b`, `bytes=a-`, `bytes=-n` → [start, end]; undefined when absent; 'invalid' when unsatisfiable. */
function parseRange(header, size) {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return 'invalid';
  let start;
  let end;
  if (match[1] === '') {
    start = Math.max(0, size - Number(match[2]));
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start >= size || start > end) return 'invalid';
  return [start, end];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (name, fallback) => {
    const at = process.argv.indexOf(name);
    return at >= 0 ? process.argv[at + 1] : fallback;
  };
  const server = await startServer({ out: resolve(arg('--out', 'kiln-out')), port: Number(arg('--port', '8080')) });
  console.log(`kiln streaming demo: ${server.url}/?asset=//levels/forest:bark  (runtime from ${server.runtimeEntry})`);
}
