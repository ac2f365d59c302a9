/**
 * A static file server for disk cache tests, like any CDN: files from a folder with Range support
 * and CORS (the page may live on another origin), counting the bytes it serves per path. It can
 * be stopped and started again on the same port (an offline player, then back online).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize, sep } from 'node:path';

export interface Served {
  path: string;
  bytes: number;
  status: number;
}

/** A simulated link for benchmarks: each response waits `latencyMs`, then flows at `bytesPerSecond`. */
export interface Link {
  latencyMs: number;
  bytesPerSecond: number;
}

export class CountingServer {
  readonly log: Served[] = [];
  private server: Server | undefined;
  port = 0;

  constructor(
    private readonly root: string,
    private readonly link?: Link,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Bytes served for paths matching `predicate` since `since` (an index into the log). */
  bytes(predicate: (path: string) => boolean = () => true, since = 0): number {
    return this.log.slice(since).reduce((n, r) => (predicate(r.path) ? n + r.bytes : n), 0);
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => void this.handle(req.url ?? '/', req.method ?? 'GET', req.headers.range, res));
    // longer than any test: Node's 5 s default races fetch's connection reuse into "fetch failed"
    server.keepAliveTimeout = 120_000;
    await new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(this.port, '127.0.0.1', () => ok());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((ok) => server.close(() => ok()));
  }

  private async handle(url: string, method: string, range: string | undefined, res: import('node:http').ServerResponse): Promise<void> {
    const path = decodeURIComponent(new URL(url, 'http://x').pathname);
    const cors = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Headers': 'Range', 'Access-Control-Expose-Headers': 'Content-Range, Content-Length', 'Cache-Control': 'no-store' };
    if (method === 'OPTIONS') {
      res.writeHead(204, cors);
      res.end();
      return;
    }
    const entry: Served = { path, bytes: 0, status: 200 };
    this.log.push(entry);
    const file = normalize(join(this.root, path));
    const info = file.startsWith(this.root + sep) ? await stat(file).catch(() => undefined) : undefined;
    if (!info?.isFile()) {
      entry.status = 404;
      res.writeHead(404, cors);
      res.end();
      return;
    }
    const m = range ? /^bytes=(\d+)-(\d+)$/.exec(range) : null;
    const start = m ? Number(m[1]) : 0;
    const end = m ? Math.min(Number(m[2]), info.size - 1) : info.size - 1;
    if (m && start >= info.size) {
      entry.status = 416;
      res.writeHead(416, { ...cors, 'Content-Range': `bytes */${info.size}` });
      res.end();
      return;
    }
    entry.status = m ? 206 : 200;
    entry.bytes = end - start + 1;
    res.writeHead(entry.status, { ...cors, 'Content-Length': entry.bytes, ...(m ? { 'Content-Range': `bytes ${start}-${end}/${info.size}` } : {}) });
    if (!this.link) {
      createReadStream(file, { start, end }).pipe(res);
      return;
    }
    const { latencyMs, bytesPerSecond } = this.link;
    await new Promise((ok) => setTimeout(ok, latencyMs));
    const began = performance.now();
    let sent = 0;
    for await (const chunk of createReadStream(file, { start, end, highWaterMark: 16 << 10 }) as AsyncIterable<Buffer>) {
      sent += chunk.byteLength;
      const due = began + (sent / bytesPerSecond) * 1000 - performance.now();
      if (due > 0) await new Promise((ok) => setTimeout(ok, due));
      res.write(chunk);
    }
    res.end();
  }
}
