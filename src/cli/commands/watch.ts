import type { WatchSession } from '../../watch/watch-session.js';
import type { Command, CommandIO, ParsedArgs } from '../command.js';
import { EXIT_OK } from '../exit-codes.js';
import { openBuilder, UsageError } from '../open-builder.js';
import { studioPage } from '../studio-page.js';

export const watchOptions = {
  platform: { type: 'string', short: 'p' },
  jobs: { type: 'string', short: 'j' },
  workers: { type: 'string' },
  'action-timeout': { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  'allow-origin': { type: 'string', multiple: true },
  'remote-cache': { type: 'string' },
  'remote-cache-mode': { type: 'string' },
  verbose: { type: 'boolean', short: 'v' },
} as const;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** Resolves when the process is asked to stop (Ctrl-C, kill). */
function untilStopped(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

async function runWatch(args: ParsedArgs, io: CommandIO): Promise<number> {
  const patterns = args.positionals.length > 0 ? args.positionals : ['//...'];
  const port = args.values.port === undefined ? 0 : Number(args.values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0…65535, got ${String(args.values.port)}`);
  const host = typeof args.values.host === 'string' ? args.values.host : '127.0.0.1';
  const verbose = args.values.verbose === true;
  const allowedOrigins = (args.values['allow-origin'] as string[] | undefined) ?? [];
  for (const origin of allowedOrigins) {
    let valid = false;
    try {
      const url = new URL(origin);
      valid = (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === origin.replace(/\/$/, '');
    } catch {
      valid = false;
    }
    if (!valid) throw new UsageError(`--allow-origin must be an origin like https://play.example.com (scheme, host, optional port), got ${origin}`);
  }
  const { builder } = openBuilder(args, io);
  io.stdout(`kiln watch: first build of ${patterns.join(' ')} (${builder.platform})…\n`);
  // The page asks for the session lazily: it exists once the first build is done.
  let session: WatchSession | undefined;
  // Imported here, not at the top: the dev server (ws) is the watch command's alone, and every
  // `kiln build` loads this file through the command table.
  const { startWatch } = await import('../../watch/watch-session.js');
  session = await startWatch({
    builder,
    patterns,
    host,
    port,
    allowedOrigins,
    log: (line) => (line.startsWith('ERROR') || line.startsWith('watch') ? io.stderr(`${line}\n`) : io.stdout(`${line}\n`)),
    onMessage: verbose ? (message) => io.stdout(`${JSON.stringify(message).slice(0, 300)}\n`) : undefined,
    page: studioPage(builder, () => session),
  });
  if (!LOOPBACK.has(host)) io.stderr(`WARNING: serving on ${host}: other machines on the network can fetch cooked assets\n`);
  io.stdout(`kiln watch: serving ${session.url} (events: ${session.url.replace(/^http/, 'ws')}/ws, blobs: ${session.url}/cas/<digest>)\n`);
  const signal = await untilStopped();
  io.stdout(`kiln watch: ${signal}, stopping\n`);
  await session.close();
  return EXIT_OK;
}

export const watchCommand: Command = {
  name: 'watch',
  summary: 'cook, then re-cook on every save and push changes to running games (hot reload)',
  usage: 'kiln watch [patterns…] [--port N] [--host 127.0.0.1] [--allow-origin https://… (repeatable)] [--platform P] [--jobs N] [--workers N] [--action-timeout S] [--remote-cache URL] [--remote-cache-mode read|read-write] [--verbose]',
  options: watchOptions,
  run: runWatch,
};
