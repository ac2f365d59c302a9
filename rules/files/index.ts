/**
 * `files`: copy sources into the build unchanged (config files, pre-cooked blobs, anything a game
 * loads as-is). The simplest rule, and the one the scheduler benchmarks use.
 */
import { posix } from 'node:path';
import { defineRule } from '../../src/rule/rule.js';
import { s } from '../../src/rule/schema.js';

export const NAME = 'files';

export interface FilesOptions {
  /** Folder (relative to the package output) the copies go into; default: beside the target name. */
  out_dir?: string;
  /** Keep sources' package-relative folders under out_dir (true) or flatten to file names (false). */
  keep_paths?: boolean;
}

export const DEFAULTS: FilesOptions = { keep_paths: true };

export function filesRule() {
  return defineRule<FilesOptions>({
    name: NAME,
    version: 1,
    type: 'files',
    description: 'Copies its sources unchanged.',
    attributes: s.object<FilesOptions>({
      out_dir: s.string().describe('output folder inside the package output'),
      keep_paths: s.boolean().describe('keep package-relative folders (true) or flatten (false)'),
    }),
    defaults: DEFAULTS,
    async cook(ctx) {
      const pkgPrefix = ctx.pkgDir ? `${ctx.pkgDir}/` : '';
      for (const src of ctx.srcs) {
        const bytes = await ctx.readSource(src);
        const rel = src.path.startsWith(pkgPrefix) ? src.path.slice(pkgPrefix.length) : posix.basename(src.path);
        const name = outputName(ctx.name, rel, ctx.srcs.length, ctx.attrs);
        await ctx.output(name, bytes, { source: rel });
      }
    },
  });
}

function outputName(target: string, rel: string, count: number, attrs: FilesOptions): string {
  const file = attrs.keep_paths === false ? posix.basename(rel) : rel;
  if (attrs.out_dir !== undefined) return posix.join(attrs.out_dir, file);
  if (count === 1) {
    const ext = posix.extname(rel);
    return target.endsWith(ext) ? target : `${target}${ext}`;
  }
  return posix.join(target, file);
}
