import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RuleRegistry } from '../rule/registry.js';
import { findWorkspaceRoot } from './find-root.js';
import { LocatedError } from './located-error.js';
import { loadPackage, type Package } from './package-loader.js';
import { readWorkspaceConfig, type WorkspaceConfig } from './workspace-config.js';
import { YamlCache } from './yaml-cache.js';
import { YamlFile } from './yaml-file.js';

/**
 * The workspace as the engine sees it: settings plus packages loaded on first use. Keeps parsed
 * packages until `invalidate` (the watcher calls it when an assets.yaml changes).
 */
export class Workspace {
  private readonly packages = new Map<string, Package | LocatedError>();
  private readonly packageExists = new Map<string, boolean>();

  /** Parsed package files from earlier runs (see YamlCache); loaded on first use. */
  private yamlCacheInstance: YamlCache | undefined;

  private constructor(
    readonly config: WorkspaceConfig,
    readonly rules: RuleRegistry,
  ) {}

  private get yamlCache(): YamlCache {
    this.yamlCacheInstance ??= YamlCache.load(this.config.cacheDir);
    return this.yamlCacheInstance;
  }

  /** Persist what was parsed this run, so the next process can skip it. */
  async saveCaches(): Promise<void> {
    await this.yamlCacheInstance?.save();
  }

  static open(start: string, rules: RuleRegistry): Workspace {
    const root = findWorkspaceRoot(start);
    if (!root) {
      throw new LocatedError('no workspace found: no assets.yaml with a "workspace:" key in this folder or above', { file: start });
    }
    return Workspace.at(root, rules);
  }

  static at(root: string, rules: RuleRegistry): Workspace {
    const file = YamlFile.read(join(root, 'assets.yaml'), 'assets.yaml');
    return new Workspace(readWorkspaceConfig(root, file), rules);
  }

  get root(): string {
    return this.config.root;
  }

  /** Workspace-relative path of a package's assets.yaml. */
  packageFile(pkg: string): string {
    const rel = pkg === '' ? 'assets.yaml' : `${pkg}/assets.yaml`;
    return this.config.packagesPath ? `${this.config.packagesPath}/${rel}` : rel;
  }

  hasPackage(pkg: string): boolean {
    let known = this.packageExists.get(pkg);
    if (known === undefined) {
      known = existsSync(join(this.config.packagesDir, pkg, 'assets.yaml'));
      this.packageExists.set(pkg, known);
    }
    return known;
  }

  /** Load (once) and return a package; throws a LocatedError when its file is broken. */
  package(pkg: string): Package {
    let loaded = this.packages.get(pkg);
    if (!loaded) {
      try {
        const file = YamlFile.read(join(this.config.packagesDir, pkg, 'assets.yaml'), this.packageFile(pkg), this.yamlCache);
        loaded = loadPackage(this.config, pkg, file, this.rules);
      } catch (error) {
        if (!(error instanceof Error) || !('format' in error || 'errors' in error)) throw error;
        loaded = error as LocatedError;
      }
      this.packages.set(pkg, loaded);
    }
    if (loaded instanceof Error) throw loaded;
    return loaded;
  }

  /** Forget a parsed package so the next access re-reads it. */
  invalidate(pkg?: string): void {
    this.packageExists.clear();
    if (pkg === undefined) this.packages.clear();
    else this.packages.delete(pkg);
  }

  /** Every package at or below `prefix` (`''` for all), sorted. Walks folders, parses nothing. */
  listPackages(prefix = ''): string[] {
    const found: string[] = [];
    const walk = (rel: string): void => {
      const abs = join(this.config.packagesDir, rel);
      let entries;
      try {
        entries = readdirSync(abs, { withFileTypes: true });
      } catch {
        return;
      }
      if (entries.some((entry) => entry.isFile() && entry.name === 'assets.yaml')) {
        if (!(rel === '' && this.config.packagesDir === this.config.root)) found.push(rel);
      }
      for (const entry of entries) {
        if (!entry.isDirectory() || entry.name.startsWith('.') || entry.name === 'node_modules') continue;
        const child = rel ? `${rel}/${entry.name}` : entry.name;
        if (join(this.config.packagesDir, child) === this.config.cacheDir || join(this.config.packagesDir, child) === this.config.outDir) continue;
        walk(child);
      }
    };
    walk(prefix);
    return found.sort();
  }
}
