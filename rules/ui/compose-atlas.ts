/**
 * Copy each sprite into the atlas and extrude its border pixels outward, so bilinear filtering
 * and mip levels sample the sprite's own edge instead of a neighbour or transparent black.
 */
export interface Blit {
  x: number;
  y: number;
  width: number;
  height: number;
  rgba: Uint8Array;
}

export function composeAtlas(width: number, height: number, blits: readonly Blit[], extrude: number): Uint8Array {
  const atlas = new Uint8Array(width * height * 4);
  const put = (x: number, y: number, sx: number, sy: number, blit: Blit) => {
    const from = (sy * blit.width + sx) * 4;
    atlas.set(blit.rgba.subarray(from, from + 4), (y * width + x) * 4);
  };
  for (const blit of blits) {
    for (let y = -extrude; y < blit.height + extrude; y++) {
      const sy = Math.min(blit.height - 1, Math.max(0, y));
      for (let x = -extrude; x < blit.width + extrude; x++) {
        const sx = Math.min(blit.width - 1, Math.max(0, x));
        put(blit.x + x, blit.y + y, sx, sy, blit);
      }
    }
  }
  return atlas;
}
