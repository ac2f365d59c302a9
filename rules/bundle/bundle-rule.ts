/**
 * `bundle`: packs a target's whole dependency closure into deterministic tar bundles with an
 * index entry first, plus a catalog (`<name>.catalog.json`) that maps every asset to its bundle.
 * Assets held by a bundle target this one depends on are referenced through that target's
 * catalog, never packed twice.
 */
import { buildBundle, type BundleAssetInput } from '../../src/bundle/bundle-builder.js';
import { buildCatalog, encodeCatalog, relativePackageDir, type BuiltBundleRef, type ReferencedCatalog } from '../../src/bundle/catalog-builder.js';
import { readCatalog } from '../../src/bundle/catalog-reader.js';
import { groupAssets, GROUPING_STRATEGIES, splitBySize, type GroupingStrategy } from '../../src/bundle/grouping.js';
import { COMPRESSIONS, type Compression } from '../../src/format/index-format.js';
import { effectivePriorities, loadOrder } from '../../src/bundle/load-order.js';
import type { DepInfo, RuleContext } from '../../src/rule/context.js';
import { RuleError } from '../../src/rule/rule-error.js';
import { defineRule, type Rule } from '../../src/rule/rule.js';
import { s } from '../../src/rule/schema.js';
import { budgetLimitShape, type BudgetLimits } from '../../src/budget/budget-limits.js';
import { npmPackageIdentity } from '../../src/rule/tool-identity.js';

export const NAME = 'bundle';

/** How the bundle is packed; its budget attributes (`max_download_bytes`, …) are checked after the build (src/budget/). */
export interface PackingOptions {
  /** How assets are split into tar files: one file (`none`), or by `type`, `usage` (per root, with a `shared` file), `level` (package) or `priority`. */
  group_by?: GroupingStrategy;
  /** Largest bundle file in bytes before a group is split into more files; 0 = no limit. */
  max_size?: number;
  /** Every entry's data starts at a multiple of this many bytes (a power of two; up to 512 costs nothing). */
  alignment?: number;
  /** Compression tried per non-streamed entry; kept only when smaller. Streamed entries (mips, LODs, chunks) are stored as is. */
  compression?: Compression;
}

export type BundleOptions = PackingOptions & BudgetLimits;

export const DEFAULTS: Required<PackingOptions> = {
  group_by: 'none',
  max_size: 0,
  alignment: 512,
  compression: 'zstd',
};

const CATALOG_SUFFIX = '.catalog.json';

export function bundleRule(): Rule<BundleOptions> {
  return defineRule<BundleOptions>({
    name: NAME,
    version: 1,
    type: 'bundle',
    description: 'Packs the dependency closure into deterministic tar bundles (index first, load order) plus a catalog',
    attributes: s.object<BundleOptions>({
      group_by: s.enum(GROUPING_STRATEGIES).describe('none | type | usage | level | priority'),
      max_size: s.integer({ min: 0 }).describe('split a group into several files above this many bytes (0 = never)'),
      alignment: s.integer({ min: 1, max: 1 << 20 }).describe('entry data alignment in bytes (power of two)'),
      compression: s.enum(COMPRESSIONS).describe('zstd | gzip | none, per entry, kept only if smaller'),
      ...budgetLimitShape,
    }),
    defaults: DEFAULTS,
    transitiveDeps: true,
    needsSources: false,
    // Compressed entry bytes depend on the zstd package's version and on the zlib inside Node (gzip).
    tools: async () => ({ zstd: npmPackageIdentity('@mongodb-js/zstd'), zlib: `node:zlib@${process.versions.zlib}` }),
    cook: (ctx) => cookBundle(ctx),
  });
}

async function cookBundle(ctx: RuleContext<BundleOptions>): Promise<void> {
  const options = { ...DEFAULTS, ...ctx.attrs };
  if ((options.alignment & (options.alignment - 1)) !== 0) throw new RuleError(`alignment ${options.alignment} is not a power of two`);

  const { referenced, held } = await referencedBundles(ctx);
  const ids = new Map(ctx.closure.map((d) => [d.label, d.assetId]));
  const members = ctx.closure.filter((d) => d.type !== 'bundle' && !held.has(d.assetId));
  if (members.length === 0 && referenced.length === 0) ctx.warn('bundle has no assets: add deps');
  const depIds = (dep: DepInfo) => dep.deps.map((label) => ids.get(label)).filter((id): id is string => id !== undefined);
  const priorities = effectivePriorities(members.map((d) => ({ id: d.assetId, label: d.label, priority: d.priority, deps: depIds(d) })));

  const inputs: (BundleAssetInput & { size: number })[] = [];
  for (const dep of members) {
    const outputs = [];
    for (const output of dep.outputs) outputs.push({ name: output.name, bytes: await ctx.readOutput(output), meta: output.meta, parts: output.parts });
    inputs.push({
      id: dep.assetId,
      label: dep.label,
      type: dep.type,
      priority: priorities.get(dep.assetId)!,
      deps: depIds(dep),
      outputs,
      size: dep.outputs.reduce((n, o) => n + o.digest.size, 0),
    });
  }
  const roots = ctx.deps.filter((d) => d.type !== 'bundle').map((d) => ({ id: d.assetId, label: d.label }));
  const groups = groupAssets(loadOrder(inputs), options.group_by, roots);
  const pieces = groups.flatMap((group) => {
    const split = splitBySize(group.assets, options.max_size);
    return split.map((assets, n) => ({ key: split.length > 1 ? `${group.key}.${n + 1}` : group.key, assets }));
  });
  if (pieces.length === 0) pieces.push({ key: 'main', assets: [] });

  const built: BuiltBundleRef[] = [];
  const files: string[] = [];
  // The runtime can tell which platform a bundle is for; the digest says whether two were cooked alike.
  const platform = { name: ctx.platform.name, settingsDigest: ctx.platform.profileDigest ?? 'unknown' };
  for (const [n, piece] of pieces.entries()) {
    const file = n === 0 ? `${ctx.name}.tar` : `${ctx.name}.${piece.key.replace(/[^A-Za-z0-9_.-]/g, '_')}.tar`;
    const { bytes, index } = await buildBundle(piece.assets, {
      bundle: ctx.label,
      platform,
      file: baseName(file),
      alignment: options.alignment,
      compression: options.compression,
    });
    const record = await ctx.output(file, bytes, { bundleGroup: piece.key, assets: index.assets.length, entries: index.entries.length });
    built.push({ index, digest: record.digest });
    files.push(file);
  }
  const catalog = buildCatalog(ctx.label, built, referenced, platform);
  await ctx.output(`${ctx.name}${CATALOG_SUFFIX}`, new TextEncoder().encode(encodeCatalog(catalog)), { bundles: files, assets: catalog.assets.length });
  ctx.stat('bundles', files.length);
  ctx.stat('assets', inputs.length);
  ctx.stat('bytes', built.reduce((n, b) => n + b.digest.size, 0));
}

/** Catalogs of the bundle targets in the closure, and the ids of the assets they hold. */
async function referencedBundles(ctx: RuleContext<BundleOptions>): Promise<{ referenced: ReferencedCatalog[]; held: Set<string> }> {
  const referenced: ReferencedCatalog[] = [];
  const held = new Set<string>();
  for (const dep of ctx.closure.filter((d) => d.type === 'bundle')) {
    const output = dep.outputs.find((o) => o.name.endsWith(CATALOG_SUFFIX));
    if (!output) throw new RuleError(`${dep.label} is a bundle without a catalog output`);
    const catalog = readCatalog(new TextDecoder().decode(await ctx.readOutput(output)));
    const depPkg = dep.label.slice(2, dep.label.indexOf(':'));
    const outDir = dirName(output.name);
    referenced.push({ catalog, relativeDir: joinDirs(relativePackageDir(ctx.pkg + dirName(`/${ctx.name}`), depPkg), outDir) });
    for (const asset of catalog.assets) held.add(asset.id);
  }
  return { referenced, held };
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function dirName(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

function joinDirs(a: string, b: string): string {
  return [a, b].filter(Boolean).join('/');
}
