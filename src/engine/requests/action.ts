import { createHash } from 'node:crypto';
import { posix, relative, sep } from 'node:path';
import { digestKey } from '../../hash/digest.js';
import type { TargetGraph } from '../../graph/target-graph.js';
import type { DepInfo, SourceRef } from '../../rule/context.js';
import type { OutputRecord } from '../../rule/output.js';
import type { AnyRule } from '../../rule/rule.js';
import type { ResultEntry } from '../../store/action-entry.js';
import type { CacheStack } from '../../store/cache-stack.js';
import { assetIdOf } from '../../workspace/label.js';
import { LocatedError, LocatedErrors } from '../../workspace/located-error.js';
import { positionIn, type TargetDecl } from '../../workspace/target-decl.js';
import type { Workspace } from '../../workspace/workspace.js';
import { diagnosticError } from '../../diagnostic/diagnostic.js';
import { join } from 'node:path';
import { canonicalJson } from '../../hash/canonical-json.js';
import { describeNonFile } from '../../workspace/file-kind.js';
import type { ActionContextInit } from '../cook-action.js';
import { cookChecked, cookInto, unitOf, type CookResult } from '../cook-action.js';
import { keyHash } from '../key-inputs.js';
import type { ActionRunner } from '../runner/action-runner.js';
import { actionKey as unitKey, depKeyText } from '../runner/action-unit.js';
import { depFingerprint } from '../dep-fingerprint.js';
import { explainChange } from '../explain.js';
import { type DiscoveredDigests, type KeyInputs, resultKey } from '../key-inputs.js';
import { storeActionResult } from '../store-action-result.js';
import type { RequestApi, RequestKind } from '../tracker/request-kind.js';
import type { AsyncRequestKind, RequestTracker } from '../tracker/request-tracker.js';
import type { FileDigestKind } from './file-digest.js';

/** An action request names a target and the labels whose outputs make up its key. */
export interface ActionInput {
  label: string;
  /** Direct dependencies, or the whole closure for rules with `transitiveDeps`. */
  keyDeps: string[];
}

/** What the last successful build of one target on one platform made (stored per target). */
export interface ActionValue {
  primary: string;
  result: string;
  inputs: KeyInputs;
  discovered: DiscoveredDigests;
  outputs: OutputRecord[];
  diagnostics: ResultEntry['diagnostics'];
  stats: Record<string, number | string | boolean>;
  durationMs: number;
  /** What dependents see of it. */
  info: DepInfo;
  /** What `--explain` shows of it in dependents' inputs. */
  fingerprint: string[];
}

/**
 * A dependency's part of its dependents' action keys (runner/action-unit.ts), computed from its
 * DepInfo when first needed and kept per DepInfo object: stored nodes do not carry it (it repeats
 * the whole DepInfo, and a no-op build decodes every stored action). Keyed by the DepInfo, not by
 * the value: a saved action a fresh build let go is read through its kept fields (a new object
 * holding the same `info`), so the text its own fingerprint computed serves its dependents' keys
 * too (a cold build's 100 bundles would otherwise hash their 10,000 dependencies' DepInfo again).
 */
const keyTexts = new WeakMap<DepInfo, string>();
export function keyTextOf(value: Pick<ActionValue, 'info'>): string {
  let text = keyTexts.get(value.info);
  if (text === undefined) {
    text = depKeyText(value.info);
    keyTexts.set(value.info, text);
  }
  return text;
}

/** How this build's run of an action went, for its report. */
export interface ActionOutcome {
  status: 'executed' | 'cached';
  durationMs: number;
  reasons?: string[];
  /** Bytes just cooked, by digest key (kiln-out is written from them). */
  bytes?: ReadonlyMap<string, Uint8Array>;
  /** Where the cook ran (worker pool, in-process, remote). */
  where?: CookResult['ranIn'];
}

/** What an action needs from the build it runs in. */
export interface ActionEnv {
  workspace: Workspace;
  platform: string;
  cache: CacheStack;
  runner: ActionRunner;
  graph: TargetGraph;
  tracker: RequestTracker;
  file: FileDigestKind;
  settings: RequestKind<string, Record<string, unknown>>;
  rule: RequestKind<string, string>;
  workspaceKind: RequestKind<null, Workspace>;
  decl: RequestKind<string, unknown>;
  inputOf(label: string): ActionInput;
  checkDeterminism: boolean;
  signal: AbortSignal;
  ran(label: string, outcome: ActionOutcome): void;
}

export const ACTION_KIND = 'action';

/**
 * What of a saved action a fresh build keeps in memory once it lets the value go: what its
 * dependents' keys read (`info`, `fingerprint`) and what kiln-out is written from (`outputs`,
 * the same array as `info.outputs`). The key inputs, discovered digests and stats are the
 * larger part, read again only by reports and `--explain`.
 */
export const ACTION_KEPT = ['outputs', 'info', 'fingerprint'] as const;

/** The part of an action's value its dependents and its kiln-out read. */
export type ActionView = Pick<ActionValue, (typeof ACTION_KEPT)[number]>;

type ActionKind = AsyncRequestKind<ActionInput, ActionValue> & { readonly kept: typeof ACTION_KEPT };

/** Request identity of an action without its input (for peeking at stored values). */
export function actionKey(platform: string): { name: string; key(input: { label: string }): string } {
  return { name: ACTION_KIND, key: (input) => `${platform}|${input.label}` };
}

/**
 * One target's action: key it from its declaration, platform settings, source digests and its
 * dependencies' fingerprints (all read through the tracker), then answer from the last result,
 * the action cache, or by cooking. Its fingerprint is what dependents put in their keys, so an
 * action that re-cooks to the same bytes stops re-evaluation there.
 *
 * Verifying a stored action costs no key computation: its declaration, settings and files are
 * checked by fingerprint, its dependencies were brought up to date first (dependency order),
 * and its own check confirms the outputs are still in the local CAS.
 */
export function actionKind(env: ActionEnv): ActionKind {
  const kind: ActionKind = {
    name: ACTION_KIND,
    async: true,
    kept: ACTION_KEPT,
    key: (input) => `${env.platform}|${input.label}`,
    // Early cutoff: dependents are equal for what their keys contain of this action.
    fingerprint: (value) => createHash('sha1').update(keyTextOf(value)).digest('base64url'),
    check: (_input, value) => presentLocally(env.cache, value.outputs),
    async run(input, api) {
      // Each dependency's value is read for the key, the closure and the unit: once each here,
      // and only the part a dropped value keeps (no read back from the store).
      const depValues = new Map<string, ActionView>();
      const depValue = (dep: string): ActionView => {
        let value = depValues.get(dep);
        if (!value) depValues.set(dep, (value = api.getKept(kind as unknown as RequestKind<ActionInput, ActionValue> & { readonly kept: typeof ACTION_KEPT }, env.inputOf(dep))));
        return value;
      };
      const prepared = await prepareAction(env, input, (k, i) => api.get(k as RequestKind<typeof i, unknown>, i), depValue);
      const { primary, inputs } = prepared;
      const previous = api.previous<ActionValue>();
      const discoveredNow = (paths: Iterable<string>) => discoveredDigests(api, env.file, paths);
      const began = performance.now();
      const hit = await findCached(env.cache, primary, previous, discoveredNow);
      if (hit) {
        if (env.checkDeterminism) await cookChecked(env.cache.blobs, prepared.rule, prepared.init, hit.outputs);
        env.ran(input.label, { status: 'cached', durationMs: performance.now() - began });
        return finished(prepared, { ...hit, inputs });
      }
      // The manifest of the last run with today's digests: what a remote executor would stage.
      const init = prepared.init;
      if (previous) init.discovered = discoveredNow(Object.keys(previous.discovered));
      const reasons = explainChange(previous && { inputs: previous.inputs, discovered: previous.discovered }, inputs, previous && init.discovered);
      const cookStart = performance.now();
      const ctx = env.checkDeterminism ? await cookChecked(env.cache.blobs, prepared.rule, init) : await cookInto(env.cache.blobs, prepared.rule, init, false);
      const durationMs = performance.now() - cookStart;
      if (ctx.outputs.length === 0) throw diagnosticError('no-output', `rule "${prepared.rule.name}" failed: the rule produced no output`);
      const discovered = ctx.discovered;
      // The edges must describe what the cook read: a discovered input that changed while it
      // cooked would otherwise verify against its new digest next time.
      const now = discoveredNow(Object.keys(discovered));
      for (const [path, digest] of Object.entries(discovered)) {
        if (now[path] !== digest) throw diagnosticError('source-changed', `${path} changed while ${input.label} was cooking; build again`, { label: input.label, location: { file: path } });
      }
      const result = resultKey(primary, discovered);
      const entry: ResultEntry = { kind: 'result', outputs: ctx.outputs, diagnostics: ctx.diagnostics, stats: ctx.stats, durationMs: Math.round(durationMs) };
      await storeActionResult(env.cache.actions, primary, result, Object.keys(discovered), entry);
      env.ran(input.label, { status: 'executed', durationMs, reasons, bytes: ctx.outputBytes, where: ctx.ranIn });
      return finished(prepared, { primary, result, inputs, discovered, outputs: ctx.outputs, diagnostics: ctx.diagnostics, stats: ctx.stats, durationMs: entry.durationMs });
    },
  };
  return kind;
}

/**
 * Whether the tools a stored action used changed identity (an upgraded encoder package): tool
 * identities come from the rule at run time (asynchronously, per target), not from a request, so
 * the builder asks before trusting a stored action of a rule that declares tools.
 */
export async function toolsChanged(env: ActionEnv, label: string, stored: ActionValue | undefined): Promise<boolean> {
  if (!stored) return false;
  const decl = env.graph.target(label);
  const rule = env.workspace.rules.get(decl.rule);
  if (!rule?.tools) return false;
  let settings: Record<string, unknown>;
  try {
    settings = env.tracker.get(env.settings, rule.name);
  } catch {
    return false; // the action fails on its own settings when it runs
  }
  const attrs = { ...rule.defaults, ...decl.packageDefaults, ...decl.attrs, ...(decl.platformAttrs[env.platform] ?? {}) };
  const tools = await rule.tools(attrs, settings, decl.srcs);
  return canonicalJson(tools) !== canonicalJson(stored.inputs.tools ?? {});
}

/** Everything known about an action before any cache lookup. */
export interface PreparedAction {
  decl: TargetDecl;
  rule: AnyRule;
  settings: Record<string, unknown>;
  attrs: Record<string, unknown>;
  srcs: SourceRef[];
  deps: DepInfo[];
  closure: DepInfo[];
  inputs: KeyInputs;
  /** What the cook runs with; `unitOf(rule, init)` is the self-contained unit whose digest is `primary`. */
  init: ActionContextInit;
  primary: string;
}

type Reader = <I>(kind: RequestKind<I, unknown>, input: I) => unknown;

/**
 * Resolve a target's key inputs through `read` (the running request's api, so every read is an
 * edge; or the tracker itself for validation, which records nothing).
 */
export async function prepareAction(env: ActionEnv, input: ActionInput, read: Reader, depValue: (label: string) => ActionView): Promise<PreparedAction> {
  const { label } = input;
  const decl = env.graph.target(label);
  const broken = env.graph.broken.get(label);
  if (broken) throw new LocatedErrors(broken);
  read(env.decl, label);
  read(env.rule, decl.rule);
  const rule = env.workspace.rules.get(decl.rule);
  if (!rule) throw new LocatedError(`unknown rule "${decl.rule}"`, positionIn(decl, ['rule']), label, 'unknown-rule');
  const settings = read(env.settings, rule.name) as Record<string, unknown>;
  const attrs = { ...rule.defaults, ...decl.packageDefaults, ...decl.attrs, ...(decl.platformAttrs[env.platform] ?? {}) };
  const srcs = decl.srcs.map((path, index): SourceRef => {
    const digest = (read(env.file, path) as { digest: string }).digest;
    if (digest === 'absent') {
      const srcIndex = decl.group ? undefined : index;
      const where = positionIn(decl, srcIndex === undefined ? ['glob'] : ['srcs', srcIndex]);
      // A FIFO, a device or a folder exists but is no source: say what it is, not "not found".
      const kind = describeNonFile(join(env.workspace.root, path));
      if (kind) throw new LocatedError(`source ${path} is ${kind}, not a regular file`, where, label, 'source-unreadable');
      throw new LocatedError(`source file not found: ${path}`, where, label, 'source-missing');
    }
    const dash = digest.lastIndexOf('-');
    return { path, digest: { hash: digest.slice(0, dash), size: Number(digest.slice(dash + 1)) } };
  });
  const depLabels = env.graph.depsOf(label);
  const deps = depLabels.map((dep) => depValue(dep).info);
  const closure = rule.transitiveDeps ? input.keyDeps.map((dep) => depValue(dep).info) : deps;
  const inputs: KeyInputs = {
    label,
    rule: `${rule.name}@${rule.version}`,
    priority: decl.priority,
    attrs,
    platform: settings,
    srcs: Object.fromEntries(srcs.map((src) => [src.path, digestKey(src.digest)])),
    deps: Object.fromEntries(input.keyDeps.map((dep) => [dep, depValue(dep).fingerprint])),
    tools: rule.tools ? await rule.tools(attrs, settings, srcs.map((src) => src.path)) : {},
  };
  const root = env.workspace.root;
  const init: ActionContextInit = {
    root,
    label,
    pkg: decl.pkg,
    pkgDir: [env.workspace.config.packagesPath, decl.pkg].filter(Boolean).join('/'),
    name: decl.name,
    assetId: assetIdOf(label),
    priority: decl.priority,
    attrs,
    // Rules that see the whole closure (bundles) also carry the digest of the platform's profile.
    platform: { name: env.platform, settings, ...(rule.transitiveDeps ? { profileDigest: profileDigest(read(env.workspaceKind, null) as Workspace, env.platform) } : {}) },
    srcs,
    deps,
    closure,
    blobs: env.cache.blobs,
    signal: env.signal,
    runner: env.runner,
    tools: inputs.tools,
    // A digest the cook computed from a read it proved stable is as good as one we hashed.
    onStableRead: (abs, stat, digest) => env.tracker.record(env.file, relative(root, abs).split(sep).join(posix.sep), env.file.observed(stat, digestKey(digest))),
  };
  const primary = unitKey(unitOf(rule, init), (dep) => keyTextOf(depValue(dep.label)));
  return { decl, rule, settings, attrs, srcs, deps, closure, inputs, init, primary };
}

/** Digest of the platform's whole profile (shared `rules:` under its own blocks), for bundle indexes and catalogs. */
function profileDigest(workspace: Workspace, platform: string): string {
  const config = workspace.config;
  return keyHash(canonicalJson({ rules: config.ruleSettings, platform: config.platforms[platform] ?? {} }));
}

/** Local state first (no I/O beyond stats), then the action cache's two-level lookup. */
export async function findCached(
  cache: CacheStack,
  primary: string,
  previous: ActionValue | undefined,
  discoveredNow: (paths: Iterable<string>) => DiscoveredDigests,
): Promise<Omit<ActionValue, 'info' | 'fingerprint' | 'inputs'> | undefined> {
  if (previous && previous.primary === primary) {
    const discovered = discoveredNow(Object.keys(previous.discovered));
    if (resultKey(primary, discovered) === previous.result && (presentLocally(cache, previous.outputs) || (await present(cache, previous.outputs)))) return previous;
  }
  const first = await cache.actions.get(primary);
  if (!first) return undefined;
  // A rule that discovered nothing has its result stored right under the primary key.
  const discovered = first.kind === 'manifest' ? discoveredNow(first.discovered) : {};
  const result = resultKey(primary, discovered);
  const entry = first.kind === 'result' ? first : await cache.actions.get(result);
  if (entry?.kind !== 'result' || !(await present(cache, entry.outputs))) return undefined;
  return { primary, result, discovered, outputs: entry.outputs, diagnostics: entry.diagnostics, stats: entry.stats, durationMs: entry.durationMs };
}

function finished(prepared: PreparedAction, state: Omit<ActionValue, 'info' | 'fingerprint'>): ActionValue {
  const { decl, rule } = prepared;
  const info: DepInfo = {
    label: decl.label,
    rule: rule.name,
    type: rule.type,
    assetId: assetIdOf(decl.label),
    priority: decl.priority,
    outputs: state.outputs,
    srcs: decl.srcs,
    deps: prepared.deps.map((dep) => dep.label),
  };
  return { ...state, info, fingerprint: depFingerprint(info) };
}

function discoveredDigests(api: RequestApi, file: FileDigestKind, paths: Iterable<string>): DiscoveredDigests {
  const result: DiscoveredDigests = {};
  for (const path of [...paths].sort()) result[path] = api.get(file, path).digest;
  return result;
}

/** A synchronous stat per output when the store has a local tier (the no-op path). */
function presentLocally(cache: CacheStack, outputs: readonly OutputRecord[]): boolean {
  const blobs = cache.blobs;
  if (!blobs.hasLocal) return true;
  return outputs.every((output) => blobs.hasLocal!(output.digest));
}

async function present(cache: CacheStack, outputs: readonly OutputRecord[]): Promise<boolean> {
  const found = await Promise.all(outputs.map((output) => cache.blobs.has(output.digest)));
  return found.every(Boolean);
}
