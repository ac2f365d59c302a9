/**
 * `kiln diff <old-catalog> <new-catalog>`: what a player who has the old content must download to
 * get the new one (bundles that are new or changed), which assets changed, and what can go.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { diffCatalogs, type CatalogDiff } from '../../bundle/catalog-diff.js';
import { readCatalog } from '../../bundle/catalog-reader.js';
import type { Catalog } from '../../format/catalog-format.js';
import { formatBytes } from '../byte-size.js';
import type { Command, CommandIO } from '../command.js';
import { EXIT_BUILD_FAILED, EXIT_OK, EXIT_USAGE } from '../exit-codes.js';

async function load(path: string, io: CommandIO): Promise<Catalog | string> {
  let text: string;
  try {
    text = await readFile(resolve(io.cwd, path), 'utf8');
  } catch (error) {
    return `cannot read ${path}: ${(error as Error).message}`;
  }
  try {
    return readCatalog(text);
  } catch (error) {
    return `${path}: ${(error as Error).message}`;
  }
}

export function formatCatalogDiff(diff: CatalogDiff): string {
  const lines: string[] = [];
  if (diff.download.length === 0) lines.push('nothing to download: every bundle is unchanged');
  else {
    lines.push(`download ${diff.download.length} bundle(s), ${formatBytes(diff.downloadBytes)}:`);
    for (const d of diff.download) lines.push(`  ${d.reason === 'added' ? '+' : '~'} ${d.file}  ${formatBytes(d.size)}  (${d.reason})`);
  }
  if (diff.unchangedBundles.length > 0) lines.push(`keep ${diff.unchangedBundles.length} unchanged bundle(s)`);
  for (const file of diff.removedBundles) lines.push(`  - ${file}  (no longer used)`);
  const assets: [string, string[]][] = [
    ['changed', diff.changedAssets],
    ['added', diff.addedAssets],
    ['removed', diff.removedAssets],
  ];
  for (const [what, labels] of assets) {
    if (labels.length === 0) continue;
    lines.push(`${what} assets (${labels.length}):`);
    for (const label of labels) lines.push(`  ${label}`);
  }
  return `${lines.join('\n')}\n`;
}

export const diffCommand: Command = {
  name: 'diff',
  summary: 'list the bundles a player must download to go from one catalog to another',
  usage: 'kiln diff <old-catalog.json> <new-catalog.json> [--json]',
  options: { json: { type: 'boolean' } },
  async run(args, io) {
    const [before, after] = args.positionals;
    if (!before || !after || args.positionals.length > 2) {
      io.stderr(`usage: ${diffCommand.usage}\n`);
      return EXIT_USAGE;
    }
    const [a, b] = await Promise.all([load(before, io), load(after, io)]);
    for (const result of [a, b]) {
      if (typeof result === 'string') {
        io.stderr(`kiln diff: ${result}\n`);
        return EXIT_BUILD_FAILED;
      }
    }
    const diff = diffCatalogs(a as Catalog, b as Catalog);
    io.stdout(args.values.json === true ? `${JSON.stringify(diff, null, 2)}\n` : formatCatalogDiff(diff));
    return EXIT_OK;
  },
};
