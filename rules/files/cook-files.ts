/** The `files` cook, start to end; in validate mode it returns after its checks, before writing outputs. */
import { posix } from 'node:path';
import type { RuleContext } from '../../src/rule/context.js';
import type { FilesOptions } from './options.js';

export async function cookFiles(ctx: RuleContext<FilesOptions>): Promise<void> {
  const pkgPrefix = ctx.pkgDir ? `${ctx.pkgDir}/` : '';
  for (const src of ctx.srcs) {
    const bytes = await ctx.readSource(src);
    if (ctx.mode === 'validate') continue;
    const rel = src.path.startsWith(pkgPrefix) ? src.path.slice(pkgPrefix.length) : posix.basename(src.path);
    const name = outputName(ctx.name, rel, ctx.srcs.length, ctx.attrs);
    await ctx.output(name, bytes, { source: rel });
  }
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
