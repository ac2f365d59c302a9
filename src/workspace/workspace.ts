import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RuleRegistry } from '../rule/registry.js';
import { findWorkspaceRoot } from './find-root.js';
import { LocatedError } from './located-error.js';
import { loadPackage, type Package } from './package-loader.js';
import { readWorkspaceConfig, type WorkspaceConfig } from './workspace-config.js';
import { YamlFile } from './yaml-file.js';

/**
 * The workspace as commands see it: settings plus packages loaded on first use, kept for the
 * life of the object. Builds do not load packages through here: the engine's request tracker
 * does, so it knows which files each package read (see src/engine/requests/package.ts).
 */
export class Workspace {
  private readonly packages = new Map<string, Package | LocatedError>();
  private readonly packageExists = new Map<string, boolean>();

  private constructor(
    readonly config: WorkspaceConfig,
    readonly rules: RuleRegistry,
  ) {}

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
    return packageFileOf(this.config, pkg);
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
        const file = YamlFile.read(join(this.config.packagesDir, pkg, 'assets.yaml'), this.packageFile(pkg));
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

  /** Every package at or below `prefix` (`''` for all), sorted. Walks folders, parses nothing. */
  listPackages(prefix = ''): string[] {
    return listPackageFolders(this.config, prefix);
  }
}

/**
 * Folders at or below `prefix` holding an assets.yaml (the cache and out folders, dot-folders
 * and node_modules excluded), sorted. Shared with the engine's package-list request.
 */
export function listPackageFolders(config: WorkspaceConfig, prefix = ''): string[] {
  const found: string[] = [];
  // An explicit stack: folder depth is the user's to choose.
  const stack = [prefix];
  while (stack.length > 0) {
    const rel = stack.pop()!;
    let entries;
    try {
      entries = readdirSync(join(config.packagesDir, rel), { withFileTypes: true });
    } catch {
      continue;
    }
    if (entries.some((entry) => entry.isFile() && entry.name === 'assets.yaml')) {
      if (!(rel === '' && config.packagesDir === config.root)) found.push(rel);
    }
    for (const entry of entries) {
      if (!entry.isDirectory() || entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (join(config.packagesDir, child) === config.cacheDir || join(config.packagesDir, child) === config.outDir) continue;
      stack.push(child);
    }
  }
  return found.sort();
}

/** Workspace-relative path of a package's assets.yaml. */
export function packageFileOf(config: WorkspaceConfig, pkg: string): string {
  const rel = pkg === '' ? 'assets.yaml' : `${pkg}/assets.yaml`;
  return config.packagesPath ? `${config.packagesPath}/${rel}` : rel;
}
