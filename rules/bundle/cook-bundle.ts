/**
 * The `bundle` cook: packs a target's whole dependency closure into deterministic tar bundles with an
 * index entry first, plus a catalog (`<name>.catalog.json`) that maps every asset to its bundle.
 * Assets held by a bundle target this one depends on are referenced through that target's
 * catalog, never packed twice.
 */
import { buildBundle, type BundleAssetInput } from '../../src/bundle/bundle-builder.js';
import { buildCatalog, encodeCatalog, relativePackageDir, type BuiltBundleRef, type ReferencedCatalog } from '../../src/bundle/catalog-builder.js';
import { readCatalog } from '../../src/bundle/catalog-reader.js';
import { groupAssets, splitBySize } from '../../src/bundle/grouping.js';
import { effectivePriorities, loadOrder } from '../../src/bundle/load-order.js';
import type { DepInfo, RuleContext } from '../../src/rule/context.js';
import { RuleError } from '../../src/rule/rule-error.js';
import type { BundleOptions } from './options.js';

const CATALOG_SUFFIX = '.catalog.json';

/** The bundle cook; bundles have nothing cheaper to check, so validate mode cooks too (no result is cached). */
export async function cookBundle(ctx: RuleContext<BundleOptions>): Promise<void> {
  const options = ctx.attrs;
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
