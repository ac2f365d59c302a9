/**
 * The studio's HTTP side, shared by `kiln ui` (its own server) and `kiln watch` (a hook in the dev
 * server): the page, and a read-only JSON API over what the engine already publishes — the target
 * graph, the kept builds (summaries with budgets and metrics, Chrome traces), each asset's newest
 * report per platform, and (for `kiln ui`) blobs by digest for previews. Every request must come
 * from this server's own page (same-origin.ts); nothing here writes anywhere.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseDigestKey } from '../hash/digest.js';
import type { AssetVersion } from '../format/hot-reload-protocol.js';
import type { BlobStore } from '../store/blob-store.js';
import type { Workspace } from '../workspace/workspace.js';
import { readBuildFile } from './build-history.js';
import { BuildIndex } from './build-index.js';
import { sameOriginRequest } from './same-origin.js';
import { StaticApp } from './static-app.js';
import { LocatedError, LocatedErrors } from '../workspace/located-error.js';
import { GraphCache } from './graph-cache.js';
import type { GraphView } from './target-rows.js';

export interface StudioOptions {
  /** A fresh view of the workspace for each graph request (packages re-read when changed). */
  workspace: () => Workspace;
  cacheDir: string;
  /** Blobs for `/cas/<digest>`; absent under `kiln watch`, whose server answers those itself. */
  blobs?: () => BlobStore;
  /** Under `kiln watch`: the platform being watched and every asset as it is now. */
  live?: () => { platform: string; assets: AssetVersion[] } | undefined;
  app?: StaticApp;
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

export class StudioHandler {
  private readonly builds: BuildIndex;
  private readonly app: StaticApp;
  private readonly graphs = new GraphCache();

  constructor(private readonly options: StudioOptions) {
    this.builds = new BuildIndex(options.cacheDir);
    this.app = options.app ?? new StaticApp();
  }

  /**
   * Analyse the workspace now, before the page asks: the first analysis of a big workspace costs
   * seconds (10k targets: 0.8 s with the YAML cache a build leaves, 3–5 s without, on this machine).
   */
  warm(): void {
    try {
      this.graph();
    } catch {
      // the page's own request will report it
    }
  }

  /** Answers the request if it is the studio's; false leaves it to the caller (the dev server). */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://studio');
    const path = url.pathname;
    const ours = path === '/' || path === '/index.html' || path.startsWith('/app/') || path.startsWith('/api/') || (this.options.blobs !== undefined && path.startsWith('/cas/'));
    if (!ours) return false;
    if (!sameOriginRequest(req.headers)) {
      res.writeHead(403, { 'content-type': 'text/plain', vary: 'origin' }).end('kiln studio: only its own page on this machine may use it\n');
      return true;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return true;
    }
    try {
      if (path.startsWith('/api/')) this.api(path.slice(5), url.searchParams, res);
      else if (path.startsWith('/cas/')) await this.blob(path.slice(5), res);
      else this.page(path, res);
    } catch (error) {
      if (!res.headersSent) res.writeHead(500, JSON_HEADERS);
      res.end(JSON.stringify({ error: (error as Error).message }));
    }
    return true;
  }

  private page(path: string, res: ServerResponse): void {
    const file = this.app.lookup(path);
    if (!file) {
      const missing = path === '/' || path === '/index.html';
      res.writeHead(404, { 'content-type': 'text/plain' }).end(missing ? 'kiln studio: the page was not built (run npm run build:studio)\n' : 'not found\n');
      return;
    }
    res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY' }).end(file.bytes);
  }

  private api(route: string, query: URLSearchParams, res: ServerResponse): void {
    const send = (value: unknown) => res.writeHead(200, JSON_HEADERS).end(JSON.stringify(value));
    const sendText = (text: string | undefined) => (text === undefined ? res.writeHead(404, JSON_HEADERS).end('{"error":"no such build"}') : res.writeHead(200, JSON_HEADERS).end(text));
    const build = /^builds\/([0-9-]+)(\/trace)?$/.exec(route);
    if (route === 'graph') sendText(this.graph());
    else if (route === 'builds') send(this.builds.list());
    else if (build) sendText(readBuildFile(this.options.cacheDir, build[1]!, build[2] ? 'trace' : 'summary'));
    else if (route === 'asset') send(this.asset(query.get('label') ?? ''));
    else if (route === 'budgets') send(this.builds.latestBudgets());
    else if (route === 'built') send(this.builds.builtLabels());
    else if (route === 'live') {
      const live = this.options.live?.();
      send({ mode: this.options.live ? 'watch' : 'ui', platform: live?.platform });
    } else res.writeHead(404, JSON_HEADERS).end('{"error":"no such API"}');
  }

  /** The graph as JSON, or (root assets.yaml unreadable) no targets and the error with file:line. */
  private graph(): string {
    try {
      return this.graphs.json(this.options.workspace());
    } catch (error) {
      const list = error instanceof LocatedErrors ? error.errors : error instanceof LocatedError ? [error] : undefined;
      if (!list) throw error;
      const view: GraphView = { workspace: '', platforms: [], defaultPlatform: '', targets: [], errors: list.map((e) => ({ label: e.label ?? '', message: e.format() })) };
      return JSON.stringify(view);
    }
  }

  private asset(label: string): unknown {
    const live = this.options.live?.();
    return {
      label,
      reports: this.builds.latestReports(label),
      live: live ? { platform: live.platform, version: live.assets.find((a) => a.label === label) } : undefined,
    };
  }

  private async blob(key: string, res: ServerResponse): Promise<void> {
    const digest = parseDigestKey(key);
    const bytes = digest ? await this.options.blobs!().get(digest) : undefined;
    if (!bytes) {
      res.writeHead(digest ? 404 : 400, { 'content-type': 'text/plain' }).end(digest ? 'no such blob\n' : 'bad digest\n');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'cache-control': 'private, max-age=31536000, immutable', 'x-content-type-options': 'nosniff' }).end(bytes);
  }
}
