/**
 * `files`: copy sources into the build unchanged (config files, pre-cooked blobs, anything a game
 * loads as-is). The simplest rule, and the one the scheduler benchmarks use.
 */
import { posix } from 'node:path';
import { defineRule } from '../../src/rule/rule.js';
import { FILES_OPTIONS, type FilesOptions } from './options.js';

export const NAME = 'files';
export { FILES_OPTIONS, type FilesOptions } from './options.js';

export function filesRule() {
  return defineRule({
    name: NAME,
    version: 1,
    type: 'files',
    description: 'Copies its sources unchanged.',
    attributes: FILES_OPTIONS,
    async cook(ctx) {
      const pkgPrefix = ctx.pkgDir ? `${ctx.pkgDir}/` : '';
      for (const src of ctx.srcs) {
        const bytes = await ctx.readSource(src);
        if (ctx.mode === 'validate') continue;
        const rel = src.path.startsWith(pkgPrefix) ? src.path.slice(pkgPrefix.length) : posix.basename(src.path);
        const name = outputName(ctx.name, rel, ctx.srcs.length, ctx.attrs);
        await ctx.output(name, bytes, { source: rel });
      }
    },
  });
}

function outputName(target: string, rel: string, count: number, attrs: FilesOptions): string {
  const file = attrs.keep_paths ? rel : posix.basename(rel);
  if (attrs.out_dir !== undefined) return posix.join(attrs.out_dir, file);
  if (count === 1) {
    const ext = posix.extname(rel);
    return target.endsWith(ext) ? target : `${target}${ext}`;
  }
  return posix.join(target, file);
}
