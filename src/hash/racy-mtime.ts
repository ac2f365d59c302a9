/**
 * A file whose mtime is this close to "now" could be written again within the same clock tick
 * without its stat changing ("racy git"): caches must not vouch for it by stat alone.
 */
const RACY_WINDOW_NS = 50_000_000n;

export function isRacy(mtimeNs: bigint, nowMs: number = Date.now()): boolean {
  return BigInt(nowMs) * 1_000_000n - mtimeNs <= RACY_WINDOW_NS;
}
