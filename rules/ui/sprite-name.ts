/**
 * A sprite's name in the rects JSON: its path inside the package without the extension
 * (`icons/heart`), so the game looks sprites up by the same path the artist sees.
 */
export function spriteName(path: string, pkg: string): string {
  const marker = `/${pkg}/`;
  const at = pkg === '' ? -1 : `/${path}`.indexOf(marker);
  const inside = at >= 0 ? `/${path}`.slice(at + marker.length) : path.split('/').pop()!;
  return inside.replace(/\.[^./]+$/, '');
}
