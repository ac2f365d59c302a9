import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { s, type SchemaIssue } from '../rule/schema.js';
import { LocatedError, LocatedErrors } from './located-error.js';
import type { YamlFile } from './yaml-file.js';

/** Settings from the root `assets.yaml`. Paths are absolute. */
export interface WorkspaceConfig {
  root: string;
  name: string;
  /** Absolute folder that `//` labels resolve under. */
  packagesDir: string;
  /** Workspace-relative form of packagesDir (`sample-project`), for messages and source paths. */
  packagesPath: string;
  cacheDir: string;
  outDir: string;
  defaultPlatform: string;
  /** rule name → settings shared by every platform. */
  ruleSettings: Record<string, Record<string, unknown>>;
  /** platform → rule name → settings. */
  platforms: Record<string, Record<string, Record<string, unknown>>>;
  remoteCache?: { url: string; mode?: 'read' | 'read-write'; timeout_ms?: number };
  /** `workspace.runner`: cooks in flight, worker threads, per-action time limit (flags override). */
  runner?: RunnerConfig;
  /** The root `budgets:` section as written; checked by src/budget/budget-spec.ts. */
  budgets?: Record<string, unknown>;
  /** The parsed root file, for positions of platform settings errors. */
  file: YamlFile;
}

export interface RunnerConfig {
  jobs?: number;
  workers?: number;
  action_timeout_seconds?: number;
}

interface RootYaml {
  workspace: {
    name?: string;
    packages?: string;
    cache?: string;
    out?: string;
    remote_cache?: { url: string; mode?: 'read' | 'read-write'; timeout_ms?: number };
    runner?: RunnerConfig;
  };
  default_platform?: string;
  rules?: Record<string, Record<string, unknown>>;
  platforms?: Record<string, Record<string, Record<string, unknown>>>;
  budgets?: Record<string, unknown>;
}

const settingsMap = s.record(s.record(s.any()));
const rootSchema = s.object<RootYaml>(
  {
    workspace: s.object<RootYaml['workspace']>({
      name: s.string(),
      packages: s.string(),
      cache: s.string(),
      out: s.string(),
      remote_cache: s.object<NonNullable<RootYaml['workspace']['remote_cache']>>(
        { url: s.string(/^https?:\/\//), mode: s.enum(['read', 'read-write']), timeout_ms: s.integer({ min: 1 }) },
        ['url'],
      ),
      runner: s.object<RunnerConfig>({ jobs: s.integer({ min: 1, max: 256 }), workers: s.integer({ min: 0, max: 256 }), action_timeout_seconds: s.number({ min: 0 }) }),
    }),
    default_platform: s.string(),
    rules: settingsMap,
    platforms: s.record(settingsMap),
    budgets: s.record(s.any()),
  },
  ['workspace'],
);

export function issuesToError(file: YamlFile, issues: SchemaIssue[], prefix: readonly (string | number)[] = [], label?: string): LocatedErrors {
  return new LocatedErrors(
    issues.map((issue) => {
      const path = [...prefix, ...issue.path];
      const isKey = issue.kind === 'unknown-key';
      return new LocatedError(issue.message, file.positionOf(path, isKey), label, isKey ? 'unknown-key' : 'bad-attribute');
    }),
  );
}

export function readWorkspaceConfig(root: string, file: YamlFile): WorkspaceConfig {
  const parsed = rootSchema.parse(file.toJS());
  if (!parsed.value) throw issuesToError(file, parsed.issues);
  const raw = parsed.value;
  const platforms = raw.platforms ?? {};
  const defaultPlatform = raw.default_platform ?? Object.keys(platforms)[0] ?? 'desktop';
  if (Object.keys(platforms).length > 0 && !(defaultPlatform in platforms)) {
    throw new LocatedError(`default_platform "${defaultPlatform}" is not one of the platforms: ${Object.keys(platforms).join(', ')}`, file.positionOf(['default_platform']));
  }
  const packagesPath = (raw.workspace.packages ?? '.').replace(/\/+$/, '') || '.';
  if (isAbsolute(packagesPath) || packagesPath.split('/').includes('..')) {
    throw new LocatedError('workspace.packages must be a folder inside the workspace', file.positionOf(['workspace', 'packages']));
  }
  const packagesDir = resolve(root, packagesPath);
  const cacheDir = kilnFolder(root, packagesDir, file, 'cache', raw.workspace.cache ?? '.kiln');
  const outDir = kilnFolder(root, packagesDir, file, 'out', raw.workspace.out ?? 'kiln-out');
  if (overlaps(cacheDir, outDir)) {
    throw new LocatedError('workspace.out and workspace.cache must be separate folders (neither inside the other)', file.positionOf(['workspace', 'out']));
  }
  return {
    root,
    name: raw.workspace.name ?? 'workspace',
    packagesDir,
    packagesPath: packagesPath === '.' ? '' : packagesPath,
    cacheDir,
    outDir,
    defaultPlatform,
    ruleSettings: raw.rules ?? {},
    platforms,
    remoteCache: raw.workspace.remote_cache,
    ...(raw.workspace.runner ? { runner: raw.workspace.runner } : {}),
    budgets: raw.budgets,
    file,
  };
}

/**
 * `out` and `cache` are folders kiln writes and `kiln clean` deletes, so a typo there must not
 * point at anything else: each must be strictly inside the workspace (also after following
 * symlinks), and must neither be nor contain the root or the packages folder (the sources).
 */
function kilnFolder(root: string, packagesDir: string, file: YamlFile, key: 'out' | 'cache', value: string): string {
  const at = file.positionOf(['workspace', key]);
  const abs = resolve(root, value);
  if (value.includes('\0') || isAbsolute(value) || !inside(root, abs)) {
    throw new LocatedError(`workspace.${key} must be a folder inside the workspace (relative, no ".."), got "${value}"`, at);
  }
  if (inside(abs, packagesDir) || abs === packagesDir) {
    throw new LocatedError(`workspace.${key} "${value}" would contain the packages folder (your sources); pick a folder of its own such as ${key === 'out' ? 'kiln-out' : '.kiln'}`, at);
  }
  const real = realpathOrUndefined(abs);
  const realRoot = realpathOrUndefined(root) ?? root;
  if (real !== undefined && !inside(realRoot, real)) {
    throw new LocatedError(`workspace.${key} "${value}" is a symlink to ${real}, outside the workspace`, at);
  }
  return abs;
}

/** `child` is strictly below `parent` (lexically). */
function inside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

function overlaps(a: string, b: string): boolean {
  return a === b || inside(a, b) || inside(b, a);
}

function realpathOrUndefined(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/** A rule's settings for one platform: workspace-wide `rules:` first, the platform's on top. */
export function platformSettingsFor(config: WorkspaceConfig, platform: string, rule: string): Record<string, unknown> {
  return { ...(config.ruleSettings[rule] ?? {}), ...(config.platforms[platform]?.[rule] ?? {}) };
}
