/** The `font` cook, start to end; in validate mode it returns after its checks, before writing outputs. */
import { posix } from 'node:path';
import { canonicalJson } from '../../src/hash/canonical-json.js';
import type { RuleContext } from '../../src/rule/context.js';
import { RuleError } from '../../src/rule/rule-error.js';
import { packRects } from '../ui/pack-rects.js';
import { codePointsOf } from './charset.js';
import { buildFont, type BuiltFont } from './build-font.js';
import type { FontOptions, FontPlatformSettings } from './options.js';

/** Packing limit before the platform check, so the error can say how big the atlas would be. */
const PACK_LIMIT = 16384;

async function build(ctx: RuleContext<FontOptions, FontPlatformSettings>): Promise<BuiltFont> {
  const src = ctx.srcs[0];
  if (!src || ctx.srcs.length > 1) throw new RuleError(`a font target takes exactly one TTF/OTF source, got ${ctx.srcs.length}`);
  const attrs = ctx.attrs;
  let fileText: string | undefined;
  if (attrs.charset_file !== undefined) {
    // Package-relative (as documented), not font-relative: the font may come from an npm package.
    const path = posix.join(ctx.pkgDir, attrs.charset_file);
    const bytes = await ctx.readFile(path);
    if (!bytes) throw new RuleError(`charset_file ${path} does not exist`, { file: path });
    fileText = new TextDecoder().decode(bytes);
  }
  const codePoints = codePointsOf(attrs.charset, fileText);
  if (codePoints.length === 0) throw new RuleError('the charset is empty');
  const built = await buildFont(await ctx.readSource(src), src.path, codePoints, attrs);
  if (built.missing.length > 0) {
    const list = built.missing.slice(0, 20).map((cp) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`).join(' ');
    ctx.warn(`${built.missing.length} character(s) of the charset have no glyph in the font: ${list}${built.missing.length > 20 ? ' …' : ''}`, { file: src.path });
  }
  const layout = await packRects(built.cells.map((c) => ({ id: String(c.codePoint), width: c.width, height: c.height })), {
    maxSize: PACK_LIMIT, padding: attrs.padding, pot: true, square: false,
  });
  if (!layout.fits) throw new RuleError(`glyphs do not fit in a ${PACK_LIMIT}px atlas; lower size or the charset`, { file: src.path });
  const max = ctx.platform.settings.max_atlas_size;
  if (layout.width > max || layout.height > max) {
    throw new RuleError(`glyph atlas is ${layout.width}x${layout.height}; platform ${ctx.platform.name} allows ${max}x${max} (lower size or the charset)`, { file: src.path });
  }
  built.place(layout.width, layout.height, layout.placed);
  ctx.stat('glyphs', built.glyphCount);
  ctx.stat('missing_glyphs', built.missing.length);
  ctx.stat('kerning_pairs', built.kerning.length);
  ctx.stat('atlas_width', layout.width);
  ctx.stat('atlas_height', layout.height);
  return built;
}

export async function cookFont(ctx: RuleContext<FontOptions, FontPlatformSettings>): Promise<void> {
  const built = await build(ctx);
  if (ctx.mode === 'validate') return;
  const atlasName = `${ctx.name}.atlas.png`;
  const sharp = (await import('sharp')).default;
  const png = await sharp(built.atlas, { raw: { width: built.atlasWidth, height: built.atlasHeight, channels: 1 } })
    .toColourspace('b-w')
    .png({ compressionLevel: 6, adaptiveFiltering: false, palette: false })
    .toBuffer();
  const metrics = { ...built.metrics(), atlas: { file: atlasName, width: built.atlasWidth, height: built.atlasHeight } };
  await ctx.output(`${ctx.name}.json`, new TextEncoder().encode(`${canonicalJson(metrics)}\n`), {
    format: 'json', glyphs: built.glyphCount, mode: built.mode, size: built.size, atlas: atlasName,
  });
  await ctx.output(atlasName, new Uint8Array(png), { format: 'png', width: built.atlasWidth, height: built.atlasHeight, channels: 1 });
  if (ctx.attrs.subset) {
    const subset = await built.subset();
    ctx.stat('subset_bytes', subset.byteLength);
    await ctx.output(`${ctx.name}.subset.otf`, subset, { format: 'otf' });
  }
}
