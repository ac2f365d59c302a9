/**
 * A V8 code cache for the CommonJS files of the few npm packages the bundled CLI's engine loads
 * on every build that cooks (lmdb and what it requires: msgpackr, ordered-binary, …), as
 * cli-chunks.ts keeps one for the chunks. Why: Node 20 compiles every CommonJS file from source
 * on every start; for lmdb's ~250 KB of JavaScript that was ~4 ms of a 10k one-file change
 * (`require('lmdb')` 16–17 ms without, 12–13 ms with the cache, measured side by side).
 *
 * While such a package is required, Node's `Module.prototype._compile` is replaced by one that
 * compiles each file with the same wrapper Node uses, through `vm.Script` with the cache beside
 * the bundle's chunks, and runs it as Node would (`this` = exports; exports, require, module,
 * __filename, __dirname). The original is back as soon as the `require` returns. The cache is
 * keyed by the SHA-256 of the file's source as well as by the bundle, Node and V8 (V8 itself
 * checks only the source's length): an updated package is compiled from source, never run from
 * another version's cache. Any failure to read or write a cache is the same as no cache.
 */
import { createHash } from 'node:crypto';
import Module from 'node:module';
import { dirname, join } from 'node:path';
import { Script, constants } from 'node:vm';
import { readCodeCache, writeCodeCache } from './code-cache-file.js';

/** Packages whose files get a cache: required by the engine on every build that cooks. */
export const CACHED_PACKAGES: ReadonlySet<string> = new Set(['lmdb']);

interface Compiled {
  script: Script;
  cachePath: string;
  key: string;
  stale: boolean;
}

type Compile = (this: { exports: unknown }, content: string, filename: string) => unknown;

export class PackageCodeCache {
  private readonly compiled: Compiled[] = [];

  /** `dir`: the bundle's folder; `key`: the bundle/Node/V8 identity; `command`: the command's part of the file names (as the chunks'). */
  constructor(
    private readonly dir: string,
    private readonly key: string,
    private readonly command: string,
  ) {}

  /** `load()` (a `require` of one of CACHED_PACKAGES) with every CommonJS file it compiles cached. */
  require<T>(load: () => T): T {
    const proto = (Module as unknown as { prototype: { _compile: Compile } }).prototype;
    const original = proto._compile;
    if (typeof original !== 'function') return load();
    const compiled = this.compiled;
    const dir = this.dir;
    const baseKey = this.key;
    const command = this.command;
    proto._compile = function (this: { exports: unknown }, content: string, filename: string) {
      // Only plain CommonJS text (a shebang or BOM would make the wrapper differ from Node's).
      if (content.startsWith('#!') || content.charCodeAt(0) === 0xfeff) return original.call(this, content, filename);
      const sourceHash = createHash('sha256').update(content).digest('hex');
      const key = `${baseKey} ${sourceHash}`;
      const cachePath = join(dir, `package-${createHash('sha256').update(filename).digest('hex').slice(0, 16)}.${command}.cache`);
      const cachedData = readCodeCache(cachePath, key);
      const script = new Script(`(function (exports, require, module, __filename, __dirname) { ${content}\n})`, {
        filename,
        importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
        ...(cachedData ? { cachedData } : {}),
      });
      compiled.push({ script, cachePath, key, stale: cachedData === undefined || script.cachedDataRejected === true });
      const wrapper = script.runInThisContext() as (...args: unknown[]) => unknown;
      // A require resolving from the file itself, over Node's one module cache, as Node's own.
      return wrapper.call(this.exports, this.exports, Module.createRequire(filename), this, filename, dirname(filename));
    };
    try {
      return load();
    } finally {
      proto._compile = original;
    }
  }

  /** Write the caches of files compiled without one (after the run, so lazily compiled functions are in). */
  save(): void {
    for (const file of this.compiled) if (file.stale) writeCodeCache(file.cachePath, file.key, file.script.createCachedData());
  }
}
