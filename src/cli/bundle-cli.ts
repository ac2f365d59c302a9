/**
 * A build step, run after `tsc` (`npm run build` and `prepare` do both): bundles the compiled
 * CLI (dist/src/cli/run-cli.js and everything it imports, the engine and rules included) into
 * ES module chunks in dist/cli-bundle/ with esbuild (a dependency; its binary ships in its npm
 * package). Why: a fresh `kiln build` that rebuilds something imports ~350 compiled modules,
 * and finding and loading them one by one costs about as much as their code; the same code in
 * a few dozen chunks saves ~100 ms of a one-file change at 10k assets. npm packages stay
 * outside, loaded as usual, except the few pure-JS ones in BUNDLED_PACKAGES; dynamic imports
 * stay lazy (each its own chunk).
 *
 * Each module's `import.meta.url` is rewritten to the URL of its own compiled file (relative to
 * the chunks), so whatever a module finds beside itself (worker entry points, protocol files,
 * the rule modules a worker imports) is still found there. The bundle is used only while it is
 * fresh: dist/cli-bundle/stamp.json holds the stat of dist/src/cli/main.js it was built from
 * and its folder, and main.js (rewritten by every tsc run) compares that stat with its own;
 * otherwise the compiled modules run. Each compile's bundle is its own folder, written under a
 * temp name and renamed, and the stamp is renamed into place last.
 *
 *   node dist/src/cli/bundle-cli.js
 */
import { build, type Plugin } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../../', import.meta.url));
const bundles = join(dist, 'cli-bundle');
/** A bundle of another compile this old no longer runs in any process (a build is far shorter). */
const OLD_MS = 60 * 60_000;

const main = statSync(join(dist, 'src/cli/main.js'), { bigint: true });
const stamp = `${main.size}:${main.mtimeNs}:${main.ino}`;
// One folder per compile, never rewritten in place: a process still running an older bundle
// keeps finding the chunks it imports lazily.
const id = createHash('sha256').update(stamp).digest('hex').slice(0, 16);
const outdir = join(bundles, id);

/**
 * npm packages bundled into the chunks instead of loaded from node_modules: pure JavaScript that
 * finds no file of its own at run time (no native addon, no `__dirname`, no `import.meta.url`),
 * made of many modules. yaml is ~60 CommonJS files: loading them one by one took ~80 ms of a
 * one-file change on a loaded 2-core machine. Every other package stays external. A worker
 * thread that imports one of these from its compiled module gets its own copy from
 * node_modules, as before; nothing but plain data crosses between threads.
 */
const BUNDLED_PACKAGES = new Set(['yaml', 'picomatch']);

/** The builtins bundled CommonJS may require, as modules over Node's globals. */
const BUILTINS_FROM_GLOBALS: Record<string, string> = {
  process: 'module.exports = process;',
  buffer: 'module.exports = { Buffer };',
};

const packageName = (specifier: string): string => {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
};

const externalPackages: Plugin = {
  name: 'external-packages',
  setup(context) {
    const insideBundled = (file: string): boolean => [...BUNDLED_PACKAGES].some((name) => file.includes(`${sep}node_modules${sep}${name.split('/').join(sep)}${sep}`));
    // A bare specifier: a package or a Node builtin. Relative and absolute paths resolve as usual.
    context.onResolve({ filter: /^[^./]/ }, (args) => {
      if (BUNDLED_PACKAGES.has(packageName(args.path))) return undefined;
      // A `require` of a builtin inside bundled CommonJS cannot stay a require in an ES module
      // chunk: the builtins yaml requires are served from Node's globals (the same objects);
      // any other fails the bundle here rather than the CLI at run time.
      if (args.kind === 'require-call' && insideBundled(args.importer)) {
        const builtin = args.path.replace(/^node:/, '');
        if (Object.hasOwn(BUILTINS_FROM_GLOBALS, builtin)) return { path: builtin, namespace: 'kiln-builtin' };
        return { errors: [{ text: `${args.importer} requires "${args.path}": a bundled package may require only ${Object.keys(BUILTINS_FROM_GLOBALS).join(', ')} (bundle-cli.ts, BUNDLED_PACKAGES)` }] };
      }
      return { external: true };
    });
    context.onLoad({ filter: /.*/, namespace: 'kiln-builtin' }, (args) => ({ contents: BUILTINS_FROM_GLOBALS[args.path], loader: 'js' }));
  },
};

const ownImportMetaUrl = (chunkDir: string): Plugin => ({
  name: 'own-import-meta-url',
  setup(context) {
    context.onLoad({ filter: /\.js$/ }, (args) => {
      if (!args.path.startsWith(dist)) return undefined;
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const own = `new URL(${JSON.stringify(relative(chunkDir, args.path).split(sep).join('/'))}, import.meta.url).href`;
      return { contents: text.replaceAll('import.meta.url', own), loader: 'js', resolveDir: dirname(args.path) };
    });
  },
});

if (!existsSync(join(outdir, 'run-cli.js'))) {
  mkdirSync(bundles, { recursive: true });
  const temp = join(bundles, `${id}.tmp-${process.pid}`);
  await build({
    entryPoints: { 'run-cli': join(dist, 'src/cli/run-cli.js') },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outdir: temp,
    logLevel: 'warning',
    // The same depth as `outdir`: the relative URLs hold after the rename.
    plugins: [externalPackages, ownImportMetaUrl(outdir)],
  });
  renameSync(temp, outdir);
}
const stampPath = join(bundles, 'stamp.json');
writeFileSync(`${stampPath}.tmp-${process.pid}`, `${JSON.stringify({ main: stamp, dir: id })}\n`);
renameSync(`${stampPath}.tmp-${process.pid}`, stampPath);
for (const entry of readdirSync(bundles, { withFileTypes: true })) {
  if (!entry.isDirectory() || entry.name === id) continue;
  const path = join(bundles, entry.name);
  if (Date.now() - statSync(path).mtimeMs > OLD_MS) rmSync(path, { recursive: true, force: true });
}
