/**
 * A build step, run after `tsc` (`npm run build` and `prepare` do both): bundles the compiled
 * CLI (dist/src/cli/run-cli.js and everything it imports, the engine and rules included) into
 * ES module chunks in dist/cli-bundle/ with esbuild (a dependency; its binary ships in its npm
 * package). Why: a fresh `kiln build` that rebuilds something imports ~350 compiled modules,
 * and finding and loading them one by one costs about as much as their code; the same code in
 * a few dozen chunks saves ~100 ms of a one-file change at 10k assets. npm packages stay
 * outside, loaded as usual; dynamic imports stay lazy (each its own chunk).
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
    packages: 'external',
    outdir: temp,
    logLevel: 'warning',
    // The same depth as `outdir`: the relative URLs hold after the rename.
    plugins: [ownImportMetaUrl(outdir)],
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
