import { isAbsolute, join, resolve } from 'node:path';
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
  },
  ['workspace'],
);

export function issuesToError(file: YamlFile, issues: SchemaIssue[], prefix: readonly (string | number)[] = [], label?: string): LocatedErrors {
  return new LocatedErrors(
    issues.map((issue) => {
      const path = [...prefix, ...issue.path];
      const isKey = issue.message.startsWith('unknown attribute');
      return new LocatedError(issue.message, file.positionOf(path, isKey), label);
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
  const inRoot = (path: string) => (isAbsolute(path) ? path : join(root, path));
  return {
    root,
    name: raw.workspace.name ?? 'workspace',
    packagesDir: resolve(root, packagesPath),
    packagesPath: packagesPath === '.' ? '' : packagesPath,
    cacheDir: inRoot(raw.workspace.cache ?? '.kiln'),
    outDir: inRoot(raw.workspace.out ?? 'kiln-out'),
    defaultPlatform,
    ruleSettings: raw.rules ?? {},
    platforms,
    remoteCache: raw.workspace.remote_cache,
    ...(raw.workspace.runner ? { runner: raw.workspace.runner } : {}),
    file,
  };
}

/** A rule's settings for one platform: workspace-wide `rules:` first, the platform's on top. */
export function platformSettingsFor(config: WorkspaceConfig, platform: string, rule: string): Record<string, unknown> {
  return { ...(config.ruleSettings[rule] ?? {}), ...(config.platforms[platform]?.[rule] ?? {}) };
}
