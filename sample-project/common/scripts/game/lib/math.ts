export const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));
export const lerp = (a: number, b: number, t: number): number => a + (b - a) * t;
/** Never imported by main: tree-shaking must drop it. */
export function unusedHelper(): string {
  return 'this string must not appear in the bundle';
}
