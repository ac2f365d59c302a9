import type { Diagnostic, SourceLocation } from '../diagnostic/diagnostic.js';
import type { Digest } from '../hash/digest.js';
import type { AssetType, LoadPriority } from '../format/asset-type.js';
import type { OutputMeta, OutputRecord } from './output.js';

/** A source file declared in YAML (`srcs`, `glob`). Paths are workspace-relative, `/`-separated. */
export interface SourceRef {
  path: string;
  digest: Digest;
}

/** What a rule can see of a dependency: its identity and its cooked outputs. */
export interface DepInfo {
  label: string;
  rule: string;
  type: AssetType;
  assetId: string;
  priority: LoadPriority;
  outputs: readonly OutputRecord[];
  /** Its declared sources (workspace-relative), so e.g. a model can find the texture target for an image. */
  srcs: readonly string[];
  /** Labels of this dependency's own direct dependencies. */
  deps: readonly string[];
}

/** Why the rule is running: a build (`cook`) or `kiln validate` (`validate`). */
export type CookMode = 'cook' | 'validate';

/** Where in a file: the one location type (src/diagnostic's SourceLocation). */
export type Location = SourceLocation;
export type { Diagnostic };

/**
 * Everything a rule may touch while it cooks. All input goes through here so the engine can
 * record it (Parcel's RequestTracker idea): a file a rule reads that was not declared becomes a
 * discovered input and joins the action key from then on.
 */
export interface RuleContext<A extends object = object, P extends object = object> {
  readonly label: string;
  /** Package path without slashes at either end: `levels/forest`. */
  readonly pkg: string;
  /** The package's folder, workspace-relative: `sample-project/levels/forest`. Sources live under it. */
  readonly pkgDir: string;
  /** Target name inside the package: `bark`, `rocks/rock_01`. */
  readonly name: string;
  /** Stable 64-bit id (16 hex chars) derived from the label. */
  readonly assetId: string;
  readonly priority: LoadPriority;
  /** Attributes after merging rule defaults, package defaults, the target and its platform overrides. */
  readonly attrs: Readonly<A>;
  /** The platform profile's settings for this rule (root `assets.yaml`). */
  readonly platform: {
    readonly name: string;
    readonly settings: Readonly<P>;
    /**
     * Digest of the whole platform profile (every rule's settings for this platform), given only
     * to rules with `transitiveDeps` (bundles record it); part of their action key.
     */
    readonly profileDigest?: string;
  };
  readonly srcs: readonly SourceRef[];
  /** Direct dependencies, in declaration order. */
  readonly deps: readonly DepInfo[];
  /** Every transitive dependency, dependencies before dependents (only for rules with `transitiveDeps`). */
  readonly closure: readonly DepInfo[];
  readonly signal: AbortSignal;
  /**
   * `cook` for a build; `validate` for `kiln validate`: run the checks, then return before
   * encoding or writing outputs (whatever is written in validate mode is not cached as the target's result).
   */
  readonly mode: CookMode;

  /** Bytes of a declared source. */
  readSource(src: SourceRef | string): Promise<Uint8Array>;
  /**
   * Read any workspace file (workspace-relative path), recording it as a discovered input.
   * A file that does not exist is recorded too, so creating it later re-runs the rule.
   */
  readFile(path: string): Promise<Uint8Array | undefined>;
  /** Bytes of a dependency's output, from the store. */
  readOutput(output: OutputRecord): Promise<Uint8Array>;
  /** Store an output in the CAS. The first output is the target's main output. */
  output(name: string, bytes: Uint8Array, meta?: OutputMeta): Promise<OutputRecord>;
  /** A warning about the target; `where` without a file is the target itself. */
  warn(message: string, where?: Partial<Location>): void;
  /** Per-target numbers for the summary JSON (sizes, PSNR, triangle counts…). */
  stat(name: string, value: number | string | boolean): void;
  /** A private scratch folder for tools that need real files; removed after the cook. */
  tempDir(): Promise<string>;
}
