/**
 * A build step, run after `tsc` (`npm run build` and `prepare` do both): bundles the compiled
 * CLI (dist/src/cli/run-cli.js and everything it imports, the engine and rules included) into
 * chunks in dist/cli-bundle/ with esbuild (a dependency; its binary ships in its npm package).
 * Why: a fresh `kiln build` that rebuilds something imports ~350 compiled modules, and finding
 * and loading them one by one costs about as much as their code; the same code in a few dozen
 * chunks saves ~100 ms of a one-file change at 10k assets. npm packages stay outside, loaded as
 * usual, except the few pure-JS ones in BUNDLED_PACKAGES; dynamic imports stay lazy (each its
 * own chunk).
 *
 * esbuild splits the code as ES modules, and each chunk is then turned into CommonJS, which
 * cli-chunks.ts compiles with `vm.Script` and a V8 code cache (Node 20 caches no ES module's
 * compilation): what a chunk needs from its module system — `import.meta`, `import()` of
 * packages, the modules with a top-level await — comes from main.js through the chunk's scope
 * (SCRIPT_SCOPE). Each module's `import.meta.url` is the URL of its own compiled file (relative
 * to the chunks), so whatever a module finds beside itself (worker entry points, protocol files,
 * the rule modules a worker imports) is still found there. The bundle is used only while it is
 * fresh: dist/cli-bundle/stamp.json holds the stat of dist/src/cli/main.js it was built from
 * and its folder, and main.js (rewritten by every tsc run) compares that stat with its own;
 * otherwise the compiled modules run. Each compile's bundle is its own folder, written under a
 * temp name and renamed, and the stamp is renamed into place last.
 *
 *   node dist/src/cli/bundle-cli.js
 */
import { build, transform, type Plugin } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENTRY_CHUNK, SCRIPT_SCOPE, type BundleStamp } from './cli-chunks.js';

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

/**
 * Compiled modules with a top-level await, which CommonJS cannot hold: they stay ES modules,
 * imported by main.js before any chunk runs and handed to the chunks (SCRIPT_SCOPE.preloaded);
 * a chunk's import of one reads that namespace. Any other top-level await
 * fails the bundle (esbuild refuses it in the "cjs" format).
 */
const PRELOADED_MODULES = ['src/hash/xxhash.js'];

const packageName = (specifier: string): string => {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
};

const externalPackages: Plugin = {
  name: 'external-packages',
  setup(context) {
    // A bare specifier: a package or a Node builtin. Relative and absolute paths resolve as usual.
    context.onResolve({ filter: /^[^./]/ }, (args) => (BUNDLED_PACKAGES.has(packageName(args.path)) ? undefined : { external: true }));
  },
};

const preloadedModules: Plugin = {
  name: 'preloaded-modules',
  setup(context) {
    context.onResolve({ filter: /^\./ }, (args) => {
      const path = relative(dist, join(args.resolveDir, args.path)).split(sep).join('/');
      return PRELOADED_MODULES.includes(path) ? { path, namespace: 'kiln-preloaded' } : undefined;
    });
    context.onLoad({ filter: /.*/, namespace: 'kiln-preloaded' }, (args) => ({
      contents: `module.exports = ${SCRIPT_SCOPE.preloaded}[${JSON.stringify(args.path)}] ?? (() => { throw new Error(${JSON.stringify(`kiln: a CLI chunk ran before ${args.path} was preloaded (bundle-cli.ts)`)}); })();`,
      loader: 'js',
    }));
  },
};

/**
 * What a module asks of `import.meta`, from the chunk's scope: `url` becomes the URL of its own
 * compiled file (relative to the chunks), so whatever a module finds beside itself (worker entry
 * points, protocol files, the rule modules a worker imports) is still found there; `resolve`
 * (of package names only) is main.js's, which resolves from the same node_modules.
 */
const ownImportMeta = (chunkDir: string): Plugin => ({
  name: 'own-import-meta',
  setup(context) {
    context.onLoad({ filter: /\.js$/ }, (args) => {
      if (!args.path.startsWith(dist)) return undefined;
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta')) return undefined;
      const own = `new URL(${JSON.stringify(relative(chunkDir, args.path).split(sep).join('/'))}, ${SCRIPT_SCOPE.url}).href`;
      const contents = text.replaceAll('import.meta.url', own).replaceAll('import.meta.resolve(', `${SCRIPT_SCOPE.resolve}(`);
      if (contents.includes('import.meta')) throw new Error(`${args.path}: import.meta is used beyond .url and .resolve(), which the CLI chunks cannot provide (bundle-cli.ts)`);
      return { contents, loader: 'js', resolveDir: dirname(args.path) };
    });
  },
});

/**
 * An ES module chunk as the CommonJS cli-chunks.ts runs: the dynamic imports of external
 * packages and URLs go through main.js's `import()` (a vm script cannot import without an
 * experimental flag) and those of other chunks become `require`s of them. esbuild prints an
 * `import(` only as a call.
 */
async function asScriptChunk(code: string): Promise<string> {
  const external = code.replace(/(?<![\w$.])import\((?!"\.\/)/g, `${SCRIPT_SCOPE.import}(`);
  const result = await transform(external, { format: 'cjs', loader: 'js', target: 'node20', supported: { 'dynamic-import': false }, logLevel: 'warning' });
  // A package's default or namespace import becomes `__toESM(require(...))`, whose `default` is
  // the whole namespace when the package is an ES module: import such packages by name.
  const wrapped = /__toESM\(require\("(?!node:|\.)([^"]+)"\)/.exec(result.code);
  if (wrapped) throw new Error(`the CLI bundle imports package "${wrapped[1]}" by default or as a namespace, which a required ES module would not give (bundle-cli.ts): import it by name or with import()`);
  return result.code;
}

/** Whether the entry chunk needs a preloaded module itself (then main.js imports them first), kept beside the chunks. */
const EAGER_FILE = 'preload-mode.txt';

const DYNAMIC_CHUNK = /Promise\.resolve\(\)\.then\(\(\) => __toESM\(require\("\.\/([\w-]+\.cjs)"\)\)\)/g;
const STATIC_CHUNK = /require\("\.\/([\w-]+\.cjs)"\)/g;

/**
 * The chunks with every dynamic import of a chunk that needs a preloaded module (itself or through
 * the chunks it requires) made to wait for them first (SCRIPT_SCOPE.ready), and whether the entry
 * chunk needs one (nothing would wait before it runs). esbuild writes a chunk's `import()` as
 * `Promise.resolve().then(() => __toESM(require("./x.cjs")))`; any other form fails the bundle.
 */
function awaitingPreloads(chunks: ReadonlyMap<string, string>): { texts: Map<string, string>; eager: boolean } {
  const marker = `${SCRIPT_SCOPE.preloaded}[`;
  const statics = new Map<string, string[]>();
  for (const [name, text] of chunks) {
    const dynamicSites = [...text.matchAll(DYNAMIC_CHUNK)].length;
    const sites = [...text.matchAll(/Promise\.resolve\(\)\.then\(/g)].length;
    if (sites !== dynamicSites) throw new Error(`${name}: a dynamic import of another form than esbuild's Promise.resolve().then(() => __toESM(require(...))) (bundle-cli.ts)`);
    statics.set(name, [...text.replace(DYNAMIC_CHUNK, '').matchAll(STATIC_CHUNK)].map((m) => m[1]!));
  }
  const needs = new Map<string, boolean>();
  const needed = (name: string, path: ReadonlySet<string> = new Set()): boolean => {
    const known = needs.get(name);
    if (known !== undefined) return known;
    if (path.has(name)) return false;
    const inner = new Set([...path, name]);
    const result = chunks.get(name)!.includes(marker) || statics.get(name)!.some((dep) => needed(dep, inner));
    if (path.size === 0) needs.set(name, result);
    return result;
  };
  const texts = new Map<string, string>();
  for (const [name, text] of chunks) texts.set(name, text.replace(DYNAMIC_CHUNK, (site, target: string) => (needed(target) ? site.replace('Promise.resolve()', `${SCRIPT_SCOPE.ready}()`) : site)));
  return { texts, eager: needed(ENTRY_CHUNK) };
}

if (!existsSync(join(outdir, ENTRY_CHUNK))) {
  mkdirSync(bundles, { recursive: true });
  const temp = join(bundles, `${id}.tmp-${process.pid}`);
  // A failed bundle leaves no half-written folder behind.
  process.on('exit', (code) => code !== 0 && rmSync(temp, { recursive: true, force: true }));
  const result = await build({
    entryPoints: { [ENTRY_CHUNK.replace(/\.cjs$/, '')]: join(dist, 'src/cli/run-cli.js') },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outdir: temp,
    outExtension: { '.js': '.cjs' },
    write: false,
    logLevel: 'warning',
    // The same depth as `outdir`: the relative URLs hold after the rename.
    plugins: [preloadedModules, externalPackages, ownImportMeta(outdir)],
  });
  mkdirSync(temp, { recursive: true });
  const chunks = new Map<string, string>();
  for (const file of result.outputFiles) chunks.set(basename(file.path), await asScriptChunk(file.text));
  const { texts, eager } = awaitingPreloads(chunks);
  for (const [name, text] of texts) writeFileSync(join(temp, name), text);
  writeFileSync(join(temp, EAGER_FILE), eager ? 'eager\n' : 'lazy\n');
  renameSync(temp, outdir);
}
// A folder without the file (another version's): preload first, as before.
const eager = !existsSync(join(outdir, EAGER_FILE)) || readFileSync(join(outdir, EAGER_FILE), 'utf8') !== 'lazy\n';
const stampPath = join(bundles, 'stamp.json');
writeFileSync(`${stampPath}.tmp-${process.pid}`, `${JSON.stringify({ main: stamp, dir: id, preload: PRELOADED_MODULES, eager } satisfies BundleStamp)}\n`);
renameSync(`${stampPath}.tmp-${process.pid}`, stampPath);
for (const entry of readdirSync(bundles, { withFileTypes: true })) {
  if (!entry.isDirectory() || entry.name === id) continue;
  const path = join(bundles, entry.name);
  if (Date.now() - statSync(path).mtimeMs > OLD_MS) rmSync(path, { recursive: true, force: true });
}
