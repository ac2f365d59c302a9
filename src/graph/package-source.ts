import type { Package } from '../workspace/package-loader.js';

/**
 * Where the graph builder gets packages from: a `Workspace` directly (CLI queries), or the
 * engine's request tracker, which records every package and listing the graph reads.
 */
export interface PackageSource {
  /** Load a package; throws a LocatedError when its file is broken. */
  package(pkg: string): Package;
  hasPackage(pkg: string): boolean;
  /** Every package at or below `prefix` (`''` for all), sorted. */
  listPackages(prefix?: string): string[];
  /** Workspace-relative path of a package's assets.yaml. */
  packageFile(pkg: string): string;
}
