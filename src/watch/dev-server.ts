/**
 * The watch server's network side: `GET|HEAD /cas/<digest>` answers blobs from the store (with
 * single byte ranges, so a client can fetch just the changed mips, and immutable caching since a
 * digest never changes meaning), and a WebSocket at `/ws` that greets each client with a snapshot
 * (`hello`) and then receives every protocol message. Nothing is ever read from the workspace
 * folder: a URL can only name a digest. Every request passes `OriginPolicy` first (Host and
 * Origin; DNS rebinding, other sites in the artist's browser).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { parseDigestKey } from '../hash/digest.js';
import type { HelloMessage, ServerMessage } from '../format/hot-reload-protocol.js';
import type { BlobStore } from '../store/blob-store.js';
import { parseByteRange } from './byte-range.js';
import { OriginPolicy } from './origin-policy.js';

export interface DevServerOptions {
  /** Where blobs come from (the builder's cache stack; replaced when the builder is re-created). */
  blobs: () => BlobStore;
  hello: () => HelloMessage;
  host?: string;
  port?: number;
  /** Origins besides loopback pages that may read blobs and open `/ws` (`--allow-origin`). */
  allowedOrigins?: readonly string[];
  /** The studio page and its API (`/`, `/app/*`, `/api/*`): answers true when the request was its. */
  page?: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
}

/**
 * Clients never send anything the server reads; a frame bigger than this closes the socket
 * (ws's default of 100 MiB let 8 clients push the server to 1.1 GB).
 */
export const MAX_CLIENT_FRAME = 4 * 1024;

export class DevServer {
  private readonly http: Server;
  private readonly sockets: WebSocketServer;
  /** Blob requests answered (for tests and the status line). */
  blobRequests = 0;

  private readonly policy: OriginPolicy;

  constructor(private readonly options: DevServerOptions) {
    this.policy = new OriginPolicy({ boundHost: options.host ?? '127.0.0.1', allowedOrigins: options.allowedOrigins ?? [] });
    this.http = createServer((req, res) => void this.handle(req, res));
    this.sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_FRAME });
    this.http.on('upgrade', (req, socket, head) => {
      if (!this.policy.hostAllowed(req.headers.host) || !this.policy.originAllowed(req.headers.origin)) {
        socket.end('HTTP/1.1 403 Forbidden\r\nconnection: close\r\n\r\n');
        return;
      }
      if (new URL(req.url ?? '/', 'http://x').pathname !== '/ws') {
        socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\n\r\n');
        return;
      }
      this.sockets.handleUpgrade(req, socket, head, (ws) => this.welcome(ws));
    });
  }

  async listen(): Promise<{ host: string; port: number; url: string }> {
    const host = this.options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(this.options.port ?? 0, host, () => resolve());
    });
    const { port } = this.http.address() as AddressInfo;
    const shown = host.includes(':') ? `[${host}]` : host;
    return { host, port, url: `http://${shown}:${port}` };
  }

  get clients(): number {
    return this.sockets.clients.size;
  }

  broadcast(message: ServerMessage): void {
    if (this.sockets.clients.size === 0) return;
    const text = JSON.stringify(message);
    for (const client of this.sockets.clients) if (client.readyState === client.OPEN) client.send(text);
  }

  async close(): Promise<void> {
    for (const client of this.sockets.clients) client.terminate();
    this.sockets.close();
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private welcome(ws: WebSocket): void {
    ws.send(JSON.stringify(this.options.hello()));
    // Over `maxPayload`, ws closes the socket with 1009 after discarding what arrived.
    // Clients only listen; anything they send is ignored, but errors must not crash the server.
    ws.on('error', () => undefined);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!this.policy.hostAllowed(req.headers.host) || !this.policy.originAllowed(req.headers.origin)) {
      res.writeHead(403, { 'content-type': 'text/plain', vary: 'origin' }).end('kiln watch: this host or origin may not use the dev server (see --allow-origin)\n');
      return;
    }
    // A page of an unlisted site can still embed a URL without sending Origin (no-cors): say the
    // bytes are for same-site readers only and must not be sniffed into a script.
    const CORS = { ...this.policy.corsHeaders(req.headers.origin), 'cross-origin-resource-policy': 'same-site', 'x-content-type-options': 'nosniff' };
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const match = /^\/cas\/([^/]+)$/.exec(path);
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...CORS, 'access-control-allow-headers': 'range', 'access-control-allow-methods': 'GET, HEAD' }).end();
      return;
    }
    if (!match && this.options.page && (await this.options.page(req, res))) return;
    if (!match) {
      res.writeHead(404, { ...CORS, 'content-type': 'text/plain' }).end('kiln watch: blobs at /cas/<digest>, events at /ws\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...CORS, allow: 'GET, HEAD' }).end();
      return;
    }
    const digest = parseDigestKey(match[1]!);
    if (!digest) {
      res.writeHead(400, { ...CORS, 'content-type': 'text/plain' }).end('bad digest: expected <64 hex sha256>-<size>\n');
      return;
    }
    let bytes: Uint8Array | undefined;
    try {
      bytes = await this.options.blobs().get(digest);
    } catch (error) {
      res.writeHead(500, { ...CORS, 'content-type': 'text/plain' }).end(`${(error as Error).message}\n`);
      return;
    }
    if (!bytes) {
      res.writeHead(404, { ...CORS, 'content-type': 'text/plain' }).end('no such blob\n');
      return;
    }
    this.blobRequests++;
    const headers = { ...CORS, 'content-type': 'application/octet-stream', 'accept-ranges': 'bytes', etag: `"${match[1]}"`, 'cache-control': 'public, max-age=31536000, immutable' };
    const range = parseByteRange(req.headers.range, bytes.byteLength);
    if (range === 'unsatisfiable') {
      res.writeHead(416, { ...headers, 'content-range': `bytes */${bytes.byteLength}` }).end();
      return;
    }
    const body = range ? bytes.subarray(range.start, range.end + 1) : bytes;
    res.writeHead(range ? 206 : 200, {
      ...headers,
      'content-length': String(body.byteLength),
      ...(range ? { 'content-range': `bytes ${range.start}-${range.end}/${bytes.byteLength}` } : {}),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }
}
