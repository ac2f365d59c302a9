/**
 * `kiln watch` as a library: a rebuild loop on a long-lived Builder plus the dev server that
 * pushes its messages. The CLI, the tests and the benchmark all start watching through this.
 */
import type { Builder } from '../engine/builder.js';
import type { ServerMessage } from '../format/hot-reload-protocol.js';
import { DevServer, type DevServerOptions } from './dev-server.js';
import { RebuildLoop } from './rebuild-loop.js';

export interface WatchOptions {
  builder: Builder;
  patterns: readonly string[];
  /** Default 127.0.0.1: the dev server is for this machine unless asked otherwise. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  /** Origins besides loopback pages allowed to read blobs and open `/ws` (see OriginPolicy). */
  allowedOrigins?: readonly string[];
  quietMs?: number;
  maxWaitMs?: number;
  deleteGraceMs?: number;
  log?: (line: string) => void;
  /** Every message as it is broadcast (tests, logging). */
  onMessage?: (message: ServerMessage) => void;
  /** The studio page at `/` (see DevServerOptions.page). */
  page?: DevServerOptions['page'];
}

export interface WatchSession {
  url: string;
  port: number;
  loop: RebuildLoop;
  server: DevServer;
  close(): Promise<void>;
}

export async function startWatch(options: WatchOptions): Promise<WatchSession> {
  let server: DevServer | undefined;
  const loop = new RebuildLoop({
    builder: options.builder,
    patterns: options.patterns,
    quietMs: options.quietMs,
    maxWaitMs: options.maxWaitMs,
    deleteGraceMs: options.deleteGraceMs,
    log: options.log,
    send: (message) => {
      options.onMessage?.(message);
      server?.broadcast(message);
    },
  });
  server = new DevServer({ blobs: () => loop.builder.cache.blobs, hello: () => loop.hello(), host: options.host, port: options.port, allowedOrigins: options.allowedOrigins, page: options.page });
  // Listen first so a port conflict fails fast, before a possibly long first build.
  const { url, port } = await server.listen();
  try {
    await loop.start();
  } catch (error) {
    await server.close();
    throw error;
  }
  const devServer = server;
  return {
    url,
    port,
    loop,
    server: devServer,
    async close() {
      await loop.close();
      await devServer.close();
    },
  };
}
