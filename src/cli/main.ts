#!/usr/bin/env node
import { readFileSync, statSync } from 'node:fs';
import type { CommandIO } from './command.js';
import { stdoutWriter } from './stdout-writer.js';

/**
 * The bundled CLI (tools/bundle-cli: the same compiled modules in a few files, which load faster)
 * when it was built from this very compile: its stamp holds this file's stat, and tsc rewrites
 * this file on every compile. Otherwise, or when it is missing, the compiled modules themselves.
 */
function bundleUrl(): string | undefined {
  if (!import.meta.url.endsWith('.js') || process.env.KILN_NO_BUNDLE === '1') return undefined;
  try {
    const own = statSync(new URL(import.meta.url), { bigint: true });
    const stamp = JSON.parse(readFileSync(new URL('../../cli-bundle/stamp.json', import.meta.url), 'utf8')) as { main?: unknown; dir?: unknown };
    if (stamp.main !== `${own.size}:${own.mtimeNs}:${own.ino}` || typeof stamp.dir !== 'string' || !/^[0-9a-f]{16}$/.test(stamp.dir)) return undefined;
    return new URL(`../../cli-bundle/${stamp.dir}/run-cli.js`, import.meta.url).href;
  } catch {
    return undefined;
  }
}

const { runCli } = (await import(bundleUrl() ?? './run-cli.js')) as typeof import('./run-cli.js');

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
