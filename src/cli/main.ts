#!/usr/bin/env node
import { readFileSync, statSync } from 'node:fs';
import { loadCliChunks, type BundleStamp, type CliChunks } from './cli-chunks.js';
import type { CommandIO } from './command.js';
import { stdoutWriter } from './stdout-writer.js';

/**
 * The bundled CLI (bundle-cli.ts: the compiled modules in a few chunks, which load faster and
 * keep a code cache, cli-chunks.ts) when it was built from this very compile: its stamp holds
 * this file's stat, and tsc rewrites this file on every compile. Otherwise, when it is missing,
 * or on a Node that cannot `require` the ES-module-only packages the chunks require (before
 * 20.19), the compiled modules themselves.
 */
function bundleStamp(): BundleStamp | undefined {
  if (!import.meta.url.endsWith('.js') || process.env.KILN_NO_BUNDLE === '1') return undefined;
  if ((process.features as { require_module?: boolean }).require_module !== true) return undefined;
  try {
    const own = statSync(new URL(import.meta.url), { bigint: true });
    const stamp = JSON.parse(readFileSync(new URL('../../cli-bundle/stamp.json', import.meta.url), 'utf8')) as Partial<Record<keyof BundleStamp, unknown>>;
    if (stamp.main !== `${own.size}:${own.mtimeNs}:${own.ino}` || typeof stamp.dir !== 'string' || !/^[0-9a-f]{16}$/.test(stamp.dir)) return undefined;
    const preload = stamp.preload;
    if (!Array.isArray(preload) || !preload.every((path): path is string => typeof path === 'string' && /^src\/[\w/.-]+\.js$/.test(path) && !path.includes('..'))) return undefined;
    if (typeof stamp.eager !== 'boolean') return undefined;
    return { main: stamp.main, dir: stamp.dir, preload, eager: stamp.eager };
  } catch {
    return undefined;
  }
}

async function bundledCli(stamp: BundleStamp): Promise<CliChunks> {
  const preloaded: Record<string, unknown> = {};
  // Imported when a chunk that needs one is (xxhash's wasm, ~6 ms: a no-op needs none).
  let loading: Promise<void> | undefined;
  const ready = (): Promise<void> =>
    (loading ??= (async () => {
      for (const path of stamp.preload) preloaded[path] = await import(new URL(`../../${path}`, import.meta.url).href);
    })());
  if (stamp.eager) await ready();
  return loadCliChunks(new URL(`../../cli-bundle/${stamp.dir}/`, import.meta.url), stamp.dir, process.argv[2], preloaded, ready);
}

const stamp = bundleStamp();
const bundled = stamp ? await bundledCli(stamp) : undefined;
const runCli = bundled?.runCli ?? ((await import('./run-cli.js')) as typeof import('./run-cli.js')).runCli;

const io: CommandIO = {
  cwd: process.cwd(),
  stdout: stdoutWriter(),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  // Asked only when it matters (not under CI=true): process.stdout is a stream to create.
  get isTTY() {
    return process.stdout.isTTY === true;
  },
};
process.exitCode = await runCli(process.argv.slice(2), io);
bundled?.saveCodeCache();
