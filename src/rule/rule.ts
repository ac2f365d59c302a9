import type { AssetType } from '../format/asset-type.js';
import type { RuleContext } from './context.js';
import type { ObjectSchema } from './schema.js';
import type { ToolIdentities } from './tool-identity.js';

/**
 * The contract every rule in `rules/` implements (glTF-Transform's one-shape-per-transform idea):
 * a name, a version to bump when output bytes change, a typed attribute schema with defaults,
 * and one async `cook` that serves `kiln build` and `kiln validate` alike (`ctx.mode`).
 * Rules must be deterministic: same inputs, same bytes, on any machine.
 */
export interface Rule<A extends object = object, P extends object = object> {
  /** What users write as `rule:` in assets.yaml. */
  readonly name: string;
  /** Bump whenever the rule's output for the same inputs changes; invalidates only this rule's cache. */
  readonly version: number;
  /** The asset type of the main output (bundle index, runtime decoders, reload handlers). */
  readonly type: AssetType;
  /** One line for `kiln rules` and the README. */
  readonly description: string;
  /** Attributes a target may set (after `rule`, `srcs`, `glob`, `deps`, `priority`, `platforms`), with their defaults. */
  readonly attributes: ObjectSchema<A>;
  /**
   * Attribute values used when neither the package `defaults:` nor the target sets them: the
   * schema's defaults (defineRule derives them), so they are declared in one place.
   */
  readonly defaults: Partial<A>;
  /** Settings this rule reads from a platform profile in the root assets.yaml. */
  readonly platformSettings?: ObjectSchema<P>;
  /** Whether the rule reads its whole dependency closure (bundles do); widens the action key. */
  readonly transitiveDeps?: boolean;
  /** Sources are required unless this is false (bundles and groups take only deps). */
  readonly needsSources?: boolean;
  /**
   * The tools (codecs, compilers, executables) a cook with these attributes, platform settings and
   * sources (workspace-relative paths) runs, by identity: they join the action key. A rule that
   * runs only its own code omits this. A tool that cannot be found throws a `tool-missing` DiagnosticError.
   */
  tools?(attrs: Readonly<A>, settings: Readonly<P>, sources: readonly string[]): Promise<ToolIdentities>;
  /**
   * Where a worker thread (or a remote executor) can import this rule: the module's URL and the
   * exported factory that returns it when called with no arguments. Rules without it (test rules
   * defined inline, rules built with injected codecs) always cook in the build's own thread.
   */
  readonly module?: RuleModule;
  /**
   * The one entry point. With `ctx.mode === 'validate'` (`kiln validate`) a rule runs its checks
   * and returns before the expensive work (encoding, writing outputs); a rule that has nothing
   * cheaper simply cooks, and the engine caches no result.
   */
  cook(ctx: RuleContext<A, P>): Promise<void>;
}

/** What a rule module writes: everything but `defaults`, which come from the attribute schema. */
export type RuleDefinition<A extends object, P extends object> = Omit<Rule<A, P>, 'defaults'>;

export interface RuleModule {
  /** `file:` URL of the module. */
  url: string;
  /** Name of the exported factory; it must return a rule with the same name and version. */
  factory: string;
}

/** A rule with its generic parameters erased, as the registry stores it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRule = Rule<any, any>;

/**
 * Keeps a rule's attribute types checked against its schema and derives `defaults` from the
 * schema, so an option's default is written once, next to its type and description.
 */
export function defineRule<A extends object, P extends object = object>(rule: RuleDefinition<A, P>): Rule<A, P> {
  return { ...rule, defaults: rule.attributes.defaults };
}
