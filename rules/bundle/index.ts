/**
 * `bundle`: packs a target's whole dependency closure into deterministic tar bundles with an
 * index entry first, plus a catalog (`<name>.catalog.json`) that maps every asset to its bundle.
 * Assets held by a bundle target this one depends on are referenced through that target's
 * catalog, never packed twice.
 */
import { defineRule, type Rule } from '../../src/rule/rule.js';
import { npmPackageIdentity } from '../../src/rule/tool-identity.js';
import { cookBundle } from './cook-bundle.js';
import { BUNDLE_OPTIONS, type BundleOptions } from './options.js';

export { BUNDLE_OPTIONS, type BundleOptions } from './options.js';

export const NAME = 'bundle';

export function bundleRule(): Rule<BundleOptions> {
  return defineRule<BundleOptions>({
    name: NAME,
    version: 1,
    type: 'bundle',
    description: 'Packs the dependency closure into deterministic tar bundles (index first, load order) plus a catalog',
    attributes: BUNDLE_OPTIONS,
    transitiveDeps: true,
    needsSources: false,
    // Compressed entry bytes depend on the zstd package's version and on the zlib inside Node (gzip).
    tools: async () => ({ zstd: npmPackageIdentity('@mongodb-js/zstd'), zlib: `node:zlib@${process.versions.zlib}` }),
    cook: (ctx) => cookBundle(ctx),
  });
}
