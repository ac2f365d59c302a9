/**
 * Rectangle packing with maxrects-packer (loaded lazily). Items are added in a fixed order —
 * largest side first, then area, then id — so the same sprites always land in the same place
 * whatever order the sources were listed in.
 */
/**
 * The package is `"type": "module"` but its `main` is a UMD file, which Node then loads as an
 * empty ES module; its real ESM build has to be named directly (a variable keeps TypeScript
 * from looking for types beside it — the types come from the package root).
 */
const PACKER_ENTRY: string = 'maxrects-packer/dist/maxrects-packer.mjs';

export interface PackItem {
  id: string;
  width: number;
  height: number;
}

export interface Placed extends PackItem {
  x: number;
  y: number;
}

export interface PackOptions {
  maxSize: number;
  /** Empty pixels between neighbouring rectangles. */
  padding: number;
  /** Round the atlas up to powers of two. */
  pot: boolean;
  square: boolean;
}

interface PackedRect {
  x: number;
  y: number;
  data: unknown;
}

export type PackResult = { fits: true; width: number; height: number; placed: Placed[] } | { fits: false; overflow: string[] };

export async function packRects(items: readonly PackItem[], options: PackOptions): Promise<PackResult> {
  const { MaxRectsPacker } = (await import(PACKER_ENTRY)) as typeof import('maxrects-packer');
  const packer = new MaxRectsPacker(options.maxSize, options.maxSize, options.padding, {
    smart: true,
    pot: options.pot,
    square: options.square,
    allowRotation: false,
    border: 0,
  });
  const ordered = [...items].sort(
    (a, b) => Math.max(b.width, b.height) - Math.max(a.width, a.height) || b.width * b.height - a.width * a.height || (a.id < b.id ? -1 : 1),
  );
  for (const item of ordered) packer.add(item.width, item.height, item.id);
  const [first, ...rest] = packer.bins;
  if (!first) return { fits: true, width: 1, height: 1, placed: [] };
  if (rest.length > 0) return { fits: false, overflow: rest.flatMap((bin) => (bin.rects as PackedRect[]).map((r) => String(r.data))) };
  const byId = new Map(items.map((item) => [item.id, item]));
  const placed = (first.rects as PackedRect[])
    .map((r): Placed => ({ ...byId.get(String(r.data))!, x: r.x, y: r.y }))
    .sort((a: Placed, b: Placed) => (a.id < b.id ? -1 : 1));
  return { fits: true, width: first.width, height: first.height, placed };
}
