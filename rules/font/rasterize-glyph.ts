/**
 * Glyph outlines to pixels without a renderer: curves are flattened into a fixed number of line
 * segments, then every pixel centre gets its exact signed distance to the outline (sign from the
 * non-zero winding rule). SDF mode stores that distance; bitmap mode turns it into coverage. Pure
 * arithmetic, so the bytes are the same on every machine.
 */
export interface PathCommand {
  type: string;
  x?: number;
  y?: number;
  x1?: number;
  y1?: number;
  x2?: number;
  y2?: number;
}

type Segment = [number, number, number, number];
const CURVE_STEPS = 8;

export function flatten(commands: readonly PathCommand[]): Segment[] {
  const segments: Segment[] = [];
  let sx = 0, sy = 0, cx = 0, cy = 0;
  const line = (x: number, y: number) => {
    if (x !== cx || y !== cy) segments.push([cx, cy, x, y]);
    cx = x;
    cy = y;
  };
  for (const c of commands) {
    if (c.type === 'M') {
      if (cx !== sx || cy !== sy) line(sx, sy);
      sx = cx = c.x!;
      sy = cy = c.y!;
    } else if (c.type === 'L') {
      line(c.x!, c.y!);
    } else if (c.type === 'Q') {
      const [x0, y0] = [cx, cy];
      for (let i = 1; i <= CURVE_STEPS; i++) {
        const t = i / CURVE_STEPS, u = 1 - t;
        line(u * u * x0 + 2 * u * t * c.x1! + t * t * c.x!, u * u * y0 + 2 * u * t * c.y1! + t * t * c.y!);
      }
    } else if (c.type === 'C') {
      const [x0, y0] = [cx, cy];
      for (let i = 1; i <= CURVE_STEPS; i++) {
        const t = i / CURVE_STEPS, u = 1 - t;
        line(
          u * u * u * x0 + 3 * u * u * t * c.x1! + 3 * u * t * t * c.x2! + t * t * t * c.x!,
          u * u * u * y0 + 3 * u * u * t * c.y1! + 3 * u * t * t * c.y2! + t * t * t * c.y!,
        );
      }
    } else if (c.type === 'Z') {
      line(sx, sy);
    }
  }
  if (cx !== sx || cy !== sy) line(sx, sy);
  return segments;
}

/** Signed distance from (px, py) to the outline: positive inside. */
function signedDistance(segments: readonly Segment[], px: number, py: number): number {
  let best = Infinity;
  let winding = 0;
  for (const [x0, y0, x1, y1] of segments) {
    const dx = x1 - x0, dy = y1 - y0;
    const len2 = dx * dx + dy * dy;
    const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - x0) * dx + (py - y0) * dy) / len2));
    const ex = x0 + t * dx - px, ey = y0 + t * dy - py;
    const d2 = ex * ex + ey * ey;
    if (d2 < best) best = d2;
    if (y0 <= py ? y1 > py : y1 <= py) {
      const cross = dx * (py - y0) - dy * (px - x0);
      if (y1 > y0 ? cross > 0 : cross < 0) winding += y1 > y0 ? 1 : -1;
    }
  }
  const d = Math.sqrt(best);
  return winding !== 0 ? d : -d;
}

export interface GlyphBitmap {
  /** Cell origin relative to the pen position on the baseline (y down). */
  left: number;
  top: number;
  width: number;
  height: number;
  pixels: Uint8Array;
}

export function rasterize(segments: readonly Segment[], mode: 'sdf' | 'bitmap', range: number): GlyphBitmap | undefined {
  if (segments.length === 0) return undefined;
  let x1 = Infinity, y1 = Infinity, x2 = -Infinity, y2 = -Infinity;
  for (const [ax, ay, bx, by] of segments) {
    x1 = Math.min(x1, ax, bx); y1 = Math.min(y1, ay, by);
    x2 = Math.max(x2, ax, bx); y2 = Math.max(y2, ay, by);
  }
  const pad = mode === 'sdf' ? Math.ceil(range) + 1 : 1;
  const left = Math.floor(x1) - pad, top = Math.floor(y1) - pad;
  const width = Math.ceil(x2) - Math.floor(x1) + 2 * pad, height = Math.ceil(y2) - Math.floor(y1) + 2 * pad;
  const pixels = new Uint8Array(width * height);
  for (let j = 0; j < height; j++) {
    for (let i = 0; i < width; i++) {
      const d = signedDistance(segments, left + i + 0.5, top + j + 0.5);
      const v = mode === 'sdf' ? 0.5 + d / (2 * range) : 0.5 + d;
      pixels[j * width + i] = Math.round(Math.max(0, Math.min(1, v)) * 255);
    }
  }
  return { left, top, width, height, pixels };
}
