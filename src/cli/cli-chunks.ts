/**
 * The bundled CLI's chunks (bundle-cli.ts writes them: esbuild's ES module chunks turned into
 * CommonJS), each compiled through `vm.Script` so that V8's code cache can be handed back to it.
 * Why: Node 20 keeps no compile cache for ES modules (that is Node 22), and a fresh `kiln build`
 * that rebuilds something parses and compiles ~700 KB of engine, rules and yaml; with the cache
 * of an earlier run V8 deserializes the functions that run instead. Chunks stay chunks: a no-op
 * build loads (and deserializes) only the few it runs.
 *
 * A chunk is loaded once, on its first `require` (a chunk's lazy `import()` of another became
 * one), into `module.exports` as Node's CommonJS loader would, before its code runs, so chunks
 * that import each other see each other's exports as getters.
 *
 * The cache is an optimisation only, never a difference in behaviour: one file per chunk and
 * command beside the chunk (a no-op build, a change and `kiln --help` run different functions
 * of the same chunk), written after the command returned when there was none or V8 rejected
 * it, as a temp file renamed into place. Its header names the bundle, Node, V8 and the
 * architecture, and the SHA-256 of its payload (V8 checks the source's length and its own
 * version, not the payload): any mismatch, a short file or a folder that cannot be read or
 * written is the same as no cache.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Script } from 'node:vm';
import { readCodeCache, writeCodeCache } from './code-cache-file.js';
import { CACHED_PACKAGES, PackageCodeCache } from './package-code-cache.js';
import type { runCli } from './run-cli.js';

export { readCodeCache, writeCodeCache } from './code-cache-file.js';

/** The chunk whose exports are the CLI's (`runCli`). */
export const ENTRY_CHUNK = 'run-cli.cjs';

/** The names a chunk finds in its scope (bundle-cli.ts rewrites what needs them to them). */
export const SCRIPT_SCOPE = {
  /** The chunk's own file URL: a module's `import.meta.url` is its compiled file relative to it. */
  url: '__kilnScriptUrl',
  /** `import()` of packages and URLs. */
  import: '__kilnImport',
  /** `import.meta.resolve` of package names. */
  resolve: '__kilnResolve',
  /** The namespaces of the modules that stay ES modules (a top-level await), by dist path. */
  preloaded: '__kilnPreloaded',
  /**
   * Imports those modules (once) and resolves when they are in `preloaded`: a dynamic import of a
   * chunk that needs one waits for it (bundle-cli.ts), so a command that needs none never loads them.
   */
  ready: '__kilnReady',
} as const;

/** dist/cli-bundle/stamp.json: the compile the bundle was made from, its folder, what to preload. */
export interface BundleStamp {
  /** `size:mtimeNs:ino` of dist/src/cli/main.js. */
  main: string;
  /** The bundle's folder under dist/cli-bundle/. */
  dir: string;
  /** dist-relative paths of the modules that stay ES modules, imported before a chunk that needs one runs. */
  preload: string[];
  /** The entry chunk itself needs one: import them before it runs. */
  eager: boolean;
}

export interface CliChunks {
  runCli: typeof runCli;
  /** Writes the code cache of each chunk loaded without one (or whose cache V8 rejected); failures are ignored. */
  saveCodeCache(): void;
}

const CHUNK_NAME = /^[\w-]+\.cjs$/;

/** The cache's identity: the bundle (one per compile, never rewritten) and what compiled it. */
export const codeCacheKey = (bundleId: string): string => `${bundleId} ${process.version} ${process.versions.v8} ${process.arch}`;

/** The part of a cache file's name that names the command: the command when it is one word, else one shared name. */
export function commandCacheName(command: string | undefined): string {
  return command !== undefined && /^[a-z][a-z-]{0,31}$/.test(command) ? command : 'other';
}

/** The cache file of a chunk for a command. */
export function codeCachePath(chunkPath: string, command: string | undefined): string {
  return `${chunkPath}.${commandCacheName(command)}.cache`;
}

interface LoadedChunk {
  script: Script;
  cachePath: string;
  stale: boolean;
}

/**
 * Loads the entry chunk of the bundle in `dirUrl` (bundle `bundleId`) with the code caches of
 * `command`, and returns its `runCli`; `ready` fills `preloaded` (SCRIPT_SCOPE.ready).
 */
export function loadCliChunks(dirUrl: URL, bundleId: string, command: string | undefined, preloaded: Record<string, unknown>, ready: () => Promise<void>): CliChunks {
  const dir = fileURLToPath(dirUrl);
  const key = codeCacheKey(bundleId);
  const nodeRequire = createRequire(join(dir, ENTRY_CHUNK));
  const modules = new Map<string, { exports: unknown }>();
  const loaded: LoadedChunk[] = [];
  const importThroughMain = (specifier: string): Promise<unknown> => import(specifier);
  const resolveFromMain = (specifier: string): string => import.meta.resolve(specifier);

  const load = (name: string): unknown => {
    // Its exports as they stand now: a chunk assigns `module.exports` first thing, before requiring others.
    const known = modules.get(name);
    if (known) return known.exports;
    if (!CHUNK_NAME.test(name)) throw new Error(`kiln: the CLI bundle asked for "${name}", which is no chunk of it`);
    const path = join(dir, name);
    const source = readFileSync(path, 'utf8');
    const cachePath = codeCachePath(path, command);
    const cachedData = readCodeCache(cachePath, key);
    // ES modules are strict; so are the chunks they became.
    const wrapped = `(function (exports, require, module, __filename, __dirname, ${SCRIPT_SCOPE.url}, ${SCRIPT_SCOPE.import}, ${SCRIPT_SCOPE.resolve}, ${SCRIPT_SCOPE.preloaded}, ${SCRIPT_SCOPE.ready}) {"use strict";${source}\n})`;
    const script = new Script(wrapped, { filename: path, ...(cachedData ? { cachedData } : {}) });
    loaded.push({ script, cachePath, stale: cachedData === undefined || script.cachedDataRejected === true });
    const module = { exports: {} as unknown };
    modules.set(name, module);
    const run = script.runInThisContext() as (...args: unknown[]) => void;
    run(module.exports, chunkRequire, module, path, dir, pathToFileURL(path).href, importThroughMain, resolveFromMain, preloaded, ready);
    return module.exports;
  };
  // Another chunk by its relative name; anything else (builtins, packages) as Node resolves it from the bundle folder.
  const packages = new PackageCodeCache(dir, key, commandCacheName(command));
  const chunkRequire = (specifier: string): unknown => {
    if (specifier.startsWith('./')) return load(specifier.slice(2));
    return CACHED_PACKAGES.has(specifier) ? packages.require(() => nodeRequire(specifier)) : nodeRequire(specifier);
  };

  const entry = load(ENTRY_CHUNK) as { runCli: typeof runCli };
  return {
    runCli: entry.runCli,
    saveCodeCache() {
      // After the run, so the functions it compiled lazily are in the caches too.
      for (const chunk of loaded) if (chunk.stale) writeCodeCache(chunk.cachePath, key, chunk.script.createCachedData());
      packages.save();
    },
  };
}
