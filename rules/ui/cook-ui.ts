/** The `ui` cook, start to end; in validate mode it returns after its checks, before writing outputs. */
import { canonicalJson } from '../../src/hash/canonical-json.js';
import type { RuleContext } from '../../src/rule/context.js';
import { RuleError } from '../../src/rule/rule-error.js';
import { composeAtlas } from './compose-atlas.js';
import { decodeSprite, type Sprite } from './decode-sprite.js';
import { type PackResult, packRects } from './pack-rects.js';
import { spriteName } from './sprite-name.js';
import type { UiOptions, UiPlatformSettings } from './options.js';

interface Packed {
  sprites: Sprite[];
  layout: Extract<PackResult, { fits: true }>;
  extrude: number;
}

async function pack(ctx: RuleContext<UiOptions, UiPlatformSettings>): Promise<Packed> {
  if (ctx.srcs.length === 0) throw new RuleError('a ui atlas needs at least one sprite in srcs');
  const attrs = ctx.attrs;
  const platformMax = ctx.platform.settings.max_size;
  // A target's own max_size can only lower the platform's cap.
  const maxSize = attrs.max_size === undefined ? platformMax : Math.min(attrs.max_size, platformMax);
  const sharp = (await import('sharp')).default;
  const sprites: Sprite[] = [];
  const seen = new Map<string, string>();
  for (const src of [...ctx.srcs].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    const name = spriteName(src.path, ctx.pkg);
    const other = seen.get(name);
    if (other) throw new RuleError(`sprite name "${name}" is used by both ${other} and ${src.path}`, { file: src.path });
    seen.set(name, src.path);
    const sprite = await decodeSprite(sharp, name, src.path, await ctx.readSource(src), attrs.trim);
    const cell = Math.max(sprite.width, sprite.height) + 2 * attrs.extrude;
    if (cell > maxSize) {
      throw new RuleError(`sprite is ${sprite.width}x${sprite.height} (+${attrs.extrude}px extrusion); the atlas may be at most ${maxSize}x${maxSize} on ${ctx.platform.name}`, { file: src.path });
    }
    sprites.push(sprite);
  }
  const items = sprites.map((sp) => ({ id: sp.name, width: sp.width + 2 * attrs.extrude, height: sp.height + 2 * attrs.extrude }));
  const layout = await packRects(items, { maxSize, padding: attrs.padding, pot: attrs.pot, square: attrs.square });
  if (!layout.fits) {
    throw new RuleError(`${layout.overflow.length} sprite(s) do not fit in one ${maxSize}x${maxSize} atlas on ${ctx.platform.name} (first: ${layout.overflow[0]}); split the atlas or shrink sprites`);
  }
  const used = sprites.reduce((sum, sp) => sum + sp.width * sp.height, 0);
  const occupancy = used / (layout.width * layout.height);
  if (occupancy < 0.25) ctx.warn(`atlas is ${Math.round(occupancy * 100)}% full (${layout.width}x${layout.height}); consider pot: false`);
  ctx.stat('sprites', sprites.length);
  ctx.stat('width', layout.width);
  ctx.stat('height', layout.height);
  ctx.stat('occupancy', Math.round(occupancy * 1000) / 1000);
  return { sprites, layout, extrude: attrs.extrude };
}

export async function cookUi(ctx: RuleContext<UiOptions, UiPlatformSettings>): Promise<void> {
  const { sprites, layout, extrude } = await pack(ctx);
  if (ctx.mode === 'validate') return;
  const byName = new Map(sprites.map((sp) => [sp.name, sp]));
  const blits = layout.placed.map((p) => {
    const sp = byName.get(p.id)!;
    return { x: p.x + extrude, y: p.y + extrude, width: sp.width, height: sp.height, rgba: sp.rgba };
  });
  const rgba = composeAtlas(layout.width, layout.height, blits, extrude);
  const sharp = (await import('sharp')).default;
  const png = await sharp(rgba, { raw: { width: layout.width, height: layout.height, channels: 4 } })
    .png({ compressionLevel: 6, adaptiveFiltering: false, palette: false })
    .toBuffer();
  const rects: Record<string, object> = {};
  for (const blit of layout.placed) {
    const sp = byName.get(blit.id)!;
    rects[sp.name] = {
      x: blit.x + extrude, y: blit.y + extrude, w: sp.width, h: sp.height,
      offset_x: sp.offsetX, offset_y: sp.offsetY, source_w: sp.sourceWidth, source_h: sp.sourceHeight,
    };
  }
  const rectsName = `${ctx.name}.rects.json`;
  ctx.stat('bytes', png.byteLength);
  await ctx.output(`${ctx.name}.png`, new Uint8Array(png), {
    format: 'png', width: layout.width, height: layout.height, sprites: sprites.length, rects: rectsName,
  });
  const table = { width: layout.width, height: layout.height, sprites: rects };
  await ctx.output(rectsName, new TextEncoder().encode(`${canonicalJson(table)}\n`), { format: 'json' });
}
