/**
 * The sample cooked for every platform of the root assets.yaml, once per machine and sources:
 * a shared workspace copy in the temp folder, built under a lock so the browser test files that
 * need it (models, textures) cook each platform once between them and then hit the action cache.
 * Each platform's kiln-out is copied aside after its build (kiln-out holds one platform at a time).
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { kiln, REPO_ROOT } from '../../support/run-kiln.js';
import { copySampleNodeModules } from '../../support/sample-copy.js';
import type { BuildSummary } from '../../../src/engine/build-result.js';

export interface CookedPlatform {
  name: string;
  /** Copy of kiln-out after this platform's build (never rewritten once made). */
  out: string;
  summary: BuildSummary;
}

export interface CookedSample {
  root: string;
  /** Platforms that cooked; the checks run on these. */
  platforms: CookedPlatform[];
  /** Platforms whose build failed, with kiln's error output (a test asserts this is empty). */
  failed: { name: string; error: string }[];
}

type Decl = { rule?: string; srcs?: string[]; glob?: string; deps?: string[] };

/** Platform names from the repository's root assets.yaml, in file order. */
export function samplePlatforms(): string[] {
  const root = parse(readFileSync(join(REPO_ROOT, 'assets.yaml'), 'utf8')) as { platforms?: Record<string, unknown> };
  return Object.keys(root.platforms ?? {});
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

/** Sources, plus the compiled hashing and store code: a cache written by another format is never reused. */
function sourcesKey(): string {
  const hash = createHash('sha256');
  const compiled = ['dist/src/hash', 'dist/src/store'].map((d) => join(REPO_ROOT, d)).filter((d) => existsSync(d)).flatMap((d) => filesUnder(d));
  const files = [join(REPO_ROOT, 'assets.yaml'), ...filesUnder(join(REPO_ROOT, 'sample-project')), ...compiled].sort();
  for (const file of files) hash.update(relative(REPO_ROOT, file)).update(readFileSync(file));
  return hash.digest('hex').slice(0, 16);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A lock shared by test processes: mkdir is atomic; a lock older than 10 minutes is stale. */
async function withLock<T>(dir: string, work: () => T): Promise<T> {
  const lock = `${dir}.lock`;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 600_000) rmSync(lock, { recursive: true, force: true });
      await sleep(250);
    }
  }
  try {
    return work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * A copy of kiln-out after a platform's build, in a folder named after what the build produced: a
 * later cook (the other browser test file, running at the same time in another worker) never
 * rewrites a copy a test may be reading; it finds the same folder already there.
 */
function keepOutputs(root: string, platform: string, summary: BuildSummary): string {
  const hash = createHash('sha256').update(JSON.stringify(summary.materialized));
  for (const target of summary.targets) for (const output of target.outputs) hash.update(`${target.label} ${output.name} ${output.digest}\n`);
  const out = join(root, `out-${platform}-${hash.digest('hex').slice(0, 16)}`);
  if (existsSync(out)) return out;
  const partial = `${out}.partial`;
  rmSync(partial, { recursive: true, force: true });
  cpSync(join(root, 'kiln-out'), partial, { recursive: true });
  renameSync(partial, out);
  return out;
}

/**
 * Cooks `labels` for every platform in a shared copy of the sample. A platform whose build fails
 * is listed in `failed` with kiln's own error output, so one broken platform fails its own
 * assertion instead of hiding the checks of the others.
 */
export async function cookSample(labels: string[]): Promise<CookedSample> {
  const root = join(tmpdir(), `kiln-clients-sample-${sourcesKey()}`);
  return withLock(root, () => {
    if (!existsSync(join(root, 'assets.yaml'))) {
      mkdirSync(root, { recursive: true });
      cpSync(join(REPO_ROOT, 'sample-project'), join(root, 'sample-project'), { recursive: true, filter: (src) => !src.includes('node_modules') });
      cpSync(join(REPO_ROOT, 'assets.yaml'), join(root, 'assets.yaml'));
    }
    copySampleNodeModules(root);
    const platforms: CookedPlatform[] = [];
    const failed: CookedSample['failed'] = [];
    for (const name of samplePlatforms()) {
      const run = kiln(root, ['build', ...labels, '--platform', name]);
      if (run.code !== 0 || !run.summary) {
        failed.push({ name, error: `kiln build --platform ${name} failed (exit ${run.code}):\n${(run.stderr + run.stdout).slice(-2000)}` });
        continue;
      }
      platforms.push({ name, out: keepOutputs(root, name, run.summary), summary: run.summary });
    }
    return { root, platforms, failed };
  });
}

/**
 * Where an output of `label` is in a platform's kiln-out copy: the path this build materialized
 * for it (kiln-out may hold several platforms' folders), found by package path and output name.
 */
export function outputFile(platform: CookedPlatform, label: string, name: string): string {
  const pkg = label.slice(2, label.indexOf(':'));
  const suffix = `${pkg}/${name}`;
  const found = platform.summary.materialized.find((path) => path.split('\\').join('/').endsWith(suffix));
  if (!found) throw new Error(`${label}: ${name} was not materialized by the ${platform.name} build`);
  return join(platform.out, found);
}

/** The declaration of a target (glob members resolve to their glob target), from the sample's YAML. */
export function declOf(root: string, label: string): { decl: Decl; pkgDir: string; member?: string } {
  const pkg = label.slice(2, label.indexOf(':'));
  const name = label.slice(label.indexOf(':') + 1);
  const pkgDir = join(root, 'sample-project', pkg);
  const yaml = parse(readFileSync(join(pkgDir, 'assets.yaml'), 'utf8')) as { targets: Record<string, Decl> };
  const [base, member] = name.split('/') as [string, string | undefined];
  const decl = yaml.targets[base];
  if (!decl) throw new Error(`${label}: no declaration in ${pkgDir}/assets.yaml`);
  return { decl, pkgDir, ...(member ? { member } : {}) };
}

/** The source image file of a texture target (its srcs, its glob member, or its one dependency's PNG output). */
export function textureSource(sample: CookedSample, platform: CookedPlatform, label: string): string {
  const { decl, pkgDir, member } = declOf(sample.root, label);
  if (member && decl.glob) {
    const dir = join(pkgDir, decl.glob.slice(0, decl.glob.lastIndexOf('/')));
    const file = readdirSync(dir).find((f) => f.replace(/\.[^.]+$/, '') === member);
    if (!file) throw new Error(`${label}: no file for glob member ${member} in ${dir}`);
    return join(dir, file);
  }
  if (decl.srcs?.[0]) return join(pkgDir, decl.srcs[0]);
  const dep = decl.deps?.[0];
  if (!dep) throw new Error(`${label}: texture without srcs or deps`);
  const depLabel = dep.startsWith(':') ? `${label.slice(0, label.indexOf(':'))}${dep}` : dep;
  const target = platform.summary.targets.find((t) => t.label === depLabel);
  const png = target?.outputs.find((o) => o.name.endsWith('.png'));
  if (!png) throw new Error(`${label}: dependency ${depLabel} has no PNG output in the summary`);
  return outputFile(platform, depLabel, png.name);
}

/** Labels of every target of these rules in the sample (glob targets expanded to their members). */
export function sampleTargets(rules: readonly string[]): { label: string; rule: string }[] {
  const base = join(REPO_ROOT, 'sample-project');
  const found: { label: string; rule: string }[] = [];
  for (const file of filesUnder(base).filter((f) => f.endsWith('/assets.yaml')).sort()) {
    const pkgDir = file.slice(0, -'/assets.yaml'.length);
    const pkg = relative(base, pkgDir).split('\\').join('/');
    const yaml = parse(readFileSync(file, 'utf8')) as { targets?: Record<string, Decl> };
    for (const [name, decl] of Object.entries(yaml.targets ?? {})) {
      if (!decl.rule || !rules.includes(decl.rule)) continue;
      if (!decl.glob) {
        found.push({ label: `//${pkg}:${name}`, rule: decl.rule });
        continue;
      }
      const dir = decl.glob.includes('/') ? decl.glob.slice(0, decl.glob.lastIndexOf('/')) : '.';
      const pattern = new RegExp(`^${decl.glob.slice(decl.glob.lastIndexOf('/') + 1).replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
      for (const member of readdirSync(join(pkgDir, dir)).filter((f) => pattern.test(f)).sort()) {
        found.push({ label: `//${pkg}:${name}/${member.replace(/\.[^.]+$/, '')}`, rule: decl.rule });
      }
    }
  }
  return found;
}

/** What both browser test files cook: every texture, model and animation target, plus the UI atlas a texture reads. */
export function browserTestLabels(): string[] {
  return [...sampleTargets(['texture', 'model', 'animation', 'ui']).map((t) => t.label)];
}
